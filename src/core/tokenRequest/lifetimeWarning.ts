import { formatDuration } from './duration';
import { defaultExpirationSeconds } from '../token/issuedComparison';
import type { TokenRequestOptions } from './tokenRequest';

/** Pod-bound tokens asked for exactly this long are extended by the server (--service-account-extend-token-expiration). */
export const warnOnlyExpirationSeconds = 3607;
/** How long an extended token lives (the server's fixed extension, unless an external signer allows less). */
export const extendedLifetimeSeconds = 365 * 86_400;

/** A row for the review step: the lifetime is long, and what that means for this token. Each text fits its line. */
export interface LifetimeWarning {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

const capRow: LifetimeWarning = {
  label: '$(info) The API server may cap the lifetime',
  description: '--service-account-max-token-expiration',
  detail: 'The result shows what was issued against what was asked.',
};

/**
 * Warns when a token would outlive `thresholdSeconds` (0 turns warnings off): a long requested
 * lifetime, or a Pod-bound 3607 s token that the server extends to a year. Unbound tokens say that
 * only deleting the service account ends them early; a second row says the server may cap the
 * lifetime. `settingName` is what the user changes. Empty when there is nothing to warn about.
 */
export function lifetimeWarnings(options: Pick<TokenRequestOptions, 'expirationSeconds' | 'boundObject' | 'audiences'>, thresholdSeconds: number, settingName: string): LifetimeWarning[] {
  if (!(thresholdSeconds > 0)) {
    return [];
  }
  const requested = options.expirationSeconds ?? defaultExpirationSeconds;
  const bound = options.boundObject;
  const limit = `more than ${formatDuration(thresholdSeconds)} (${settingName})`;
  if (bound?.kind === 'Pod' && requested === warnOnlyExpirationSeconds && options.audiences.length === 0 && extendedLifetimeSeconds > thresholdSeconds) {
    return [{
      label: `$(warning) Long-lived token: ${formatDuration(requested)} may last ${formatDuration(extendedLifetimeSeconds)}`,
      description: limit,
      detail: 'Extended to a year by --service-account-extend-token-expiration (on by default).',
    }, capRow];
  }
  if (requested <= thresholdSeconds) {
    return [];
  }
  return [{
    label: `$(warning) Long-lived token: ${formatDuration(requested)}`,
    description: limit,
    detail: bound === undefined ? 'Not bound to any object: only deleting the service account revokes it early.' : `Valid until it expires or its ${bound.kind} is deleted.`,
  }, capRow];
}
