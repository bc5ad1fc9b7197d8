import { formatDuration } from '../tokenRequest/durationFormat';

/** Requested against issued lifetimes, as the inspector page and the Request Token result both show them. No other imports: the inspector page uses this file. */
export interface LifetimeFigures {
  readonly requestedSeconds?: number;
  readonly issuedSeconds?: number;
  readonly jwtLifetimeSeconds?: number;
}

export const lifetimeRowLabels = {
  requested: 'Requested',
  issued: 'Issued (response)',
  jwt: 'JWT lifetime (exp − iat)',
} as const;

/** `[label, duration]` rows for the figures that are known, in a fixed order. */
export function lifetimeRows(figures: LifetimeFigures): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (figures.requestedSeconds !== undefined) {
    rows.push([lifetimeRowLabels.requested, formatDuration(figures.requestedSeconds)]);
  }
  if (figures.issuedSeconds !== undefined) {
    rows.push([lifetimeRowLabels.issued, formatDuration(figures.issuedSeconds)]);
  }
  if (figures.jwtLifetimeSeconds !== undefined) {
    rows.push([lifetimeRowLabels.jwt, formatDuration(figures.jwtLifetimeSeconds)]);
  }
  return rows;
}

/** The rows as one sentence for a message: `Requested: 100d; Issued (response): 1d; JWT lifetime (exp − iat): 1d.` */
export function lifetimeRowsSentence(figures: LifetimeFigures): string {
  const rows = lifetimeRows(figures);
  return rows.length === 0 ? '' : `${rows.map(([label, value]) => `${label}: ${value}`).join('; ')}.`;
}
