import { formatDuration, parseDuration, validateExpirationSeconds } from './duration';
import { isTokenError } from '../errors';

/** A lifetime offered in the Request Token flow. */
export interface LifetimePreset {
  readonly label: string;
  readonly seconds: number;
}

/** The lifetimes offered before free entry: 10 min, 1 h, 8 h, 24 h, 7 d. */
export const lifetimePresets: readonly LifetimePreset[] = [
  { label: '10 minutes', seconds: 600 },
  { label: '1 hour', seconds: 3_600 },
  { label: '8 hours', seconds: 28_800 },
  { label: '24 hours', seconds: 86_400 },
  { label: '7 days', seconds: 604_800 },
];

/** Result of {@link parseLifetimeInput}: seconds to send, or why not (in the API server's own words where it has some). */
export type LifetimeInput = { readonly seconds: number } | { readonly problem: string };

/**
 * Parses a typed lifetime (`90m`, `2h30m`, `3600s`, `1d`, bare seconds) and applies the server's
 * `spec.expirationSeconds` rule, quoting the server's detail text so the user sees the same words
 * the API server would answer with.
 */
export function parseLifetimeInput(text: string): LifetimeInput {
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch (e) {
    return { problem: isTokenError(e) ? e.message : String(e) };
  }
  const problem = validateExpirationSeconds(seconds);
  if (problem !== undefined) {
    return { problem: `spec.expirationSeconds: Invalid value: ${seconds}: ${problem} (you entered ${formatDuration(seconds)}).` };
  }
  return { seconds };
}

/** The label for a lifetime: a preset's name, or its duration. */
export function lifetimeLabel(seconds: number | undefined): string {
  if (seconds === undefined) {
    return 'server default (1 hour)';
  }
  return lifetimePresets.find((p) => p.seconds === seconds)?.label ?? formatDuration(seconds);
}
