import { formatDuration } from './duration';
import { defaultExpirationSeconds } from '../token/issuedComparison';
import type { TokenRequestOptions } from './tokenRequest';

/** Pod-bound tokens asked for exactly this long are extended by the server (--service-account-extend-token-expiration). */
export const warnOnlyExpirationSeconds = 3607;
/** How long an extended token lives (the server's fixed extension, unless an external signer allows less). */
export const extendedLifetimeSeconds = 365 * 86_400;

/** A warning row for the review step: the lifetime is long, and what that means for this token. */
export interface LifetimeWarning {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

const capNote = 'The API server may cap it (--service-account-max-token-expiration).';

/**
 * Warns when a token would outlive `thresholdSeconds` (0 turns warnings off): a long requested
 * lifetime, or a Pod-bound 3607 s token that the server extends to a year. Unbound tokens say that
 * only deleting the service account ends them early. `settingName` is what the user changes.
 */
export function lifetimeWarning(options: Pick<TokenRequestOptions, 'expirationSeconds' | 'boundObject' | 'audiences'>, thresholdSeconds: number, settingName: string): LifetimeWarning | undefined {
  if (!(thresholdSeconds > 0)) {
    return undefined;
  }
  const requested = options.expirationSeconds ?? defaultExpirationSeconds;
  const bound = options.boundObject;
  const limit = `more than ${formatDuration(thresholdSeconds)} (${settingName})`;
  if (bound?.kind === 'Pod' && requested === warnOnlyExpirationSeconds && options.audiences.length === 0 && extendedLifetimeSeconds > thresholdSeconds) {
    return {
      label: `$(warning) Long-lived token: ${formatDuration(requested)} may last ${formatDuration(extendedLifetimeSeconds)}`,
      description: limit,
      detail: `Pod-bound tokens asked for exactly ${warnOnlyExpirationSeconds} s are valid for a year when the server runs with --service-account-extend-token-expiration (the default); the response still says ${warnOnlyExpirationSeconds} s.`,
    };
  }
  if (requested <= thresholdSeconds) {
    return undefined;
  }
  const revocation = bound === undefined
    ? 'Not bound to any object: only deleting the service account revokes it early.'
    : `Valid until it expires or its ${bound.kind} is deleted.`;
  return {
    label: `$(warning) Long-lived token: ${formatDuration(requested)}`,
    description: limit,
    detail: `${revocation} ${capNote}`,
  };
}
