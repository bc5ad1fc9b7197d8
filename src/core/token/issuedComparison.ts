import { formatDuration } from '../tokenRequest/duration';

/** What the server answered to a TokenRequest, plus the JWT's own time claims. */
export interface IssuedTokenFacts {
  /** `spec.expirationSeconds` as sent; undefined means the server default (3600 s). */
  readonly requestedExpirationSeconds?: number;
  /** `spec.expirationSeconds` of the response (after the server's cap). */
  readonly responseExpirationSeconds?: number | null;
  /** `status.expirationTimestamp` of the response (RFC 3339). */
  readonly expirationTimestamp?: string | null;
  /** JWT claims, in seconds since epoch. */
  readonly exp?: number;
  readonly iat?: number;
  readonly warnafter?: number;
}

/** Requested vs issued lifetime, with plain-language explanations. */
export interface IssuedComparison {
  /** What was asked (the server default 3600 when nothing was). */
  readonly requestedSeconds: number;
  /** What the response says, if it says anything. */
  readonly issuedSeconds?: number;
  /** `exp - iat` of the JWT: the lifetime that actually counts. */
  readonly jwtLifetimeSeconds?: number;
  /** The moment the token stops working, ms: JWT `exp`, else `status.expirationTimestamp`. */
  readonly effectiveExpiryMs?: number;
  readonly warnAfterMs?: number;
  /** The server's --service-account-max-token-expiration cut the lifetime. */
  readonly shortened: boolean;
  /** The server extended a Pod-bound 3607 s token to about a year (`warnafter` present). */
  readonly extended: boolean;
  /** One sentence per noteworthy fact; empty when the token is exactly what was asked for. */
  readonly explanations: string[];
}

/** The server's default lifetime when none is requested. */
export const defaultExpirationSeconds = 3600;

/**
 * Compares what was requested with what was issued: the response spec, `status.expirationTimestamp`,
 * and the JWT `exp`/`iat`/`warnafter`. The JWT wins for expiry, because extended tokens say 3607 s in
 * the response while the JWT lives a year.
 */
export function compareIssued(facts: IssuedTokenFacts): IssuedComparison {
  const requestedSeconds = facts.requestedExpirationSeconds ?? defaultExpirationSeconds;
  const issuedSeconds = typeof facts.responseExpirationSeconds === 'number' ? facts.responseExpirationSeconds : undefined;
  const jwtLifetimeSeconds = typeof facts.exp === 'number' && typeof facts.iat === 'number' ? facts.exp - facts.iat : undefined;
  const timestampMs = facts.expirationTimestamp ? Date.parse(facts.expirationTimestamp) : Number.NaN;
  const effectiveExpiryMs = typeof facts.exp === 'number' ? facts.exp * 1000 : Number.isNaN(timestampMs) ? undefined : timestampMs;
  const warnAfterMs = typeof facts.warnafter === 'number' ? facts.warnafter * 1000 : undefined;

  const explanations: string[] = [];
  const shortened = issuedSeconds !== undefined && issuedSeconds < requestedSeconds;
  if (shortened) {
    explanations.push(`You asked for ${formatDuration(requestedSeconds)} but the server issued ${formatDuration(issuedSeconds)}: its --service-account-max-token-expiration caps token lifetimes.`);
  }
  const extended = warnAfterMs !== undefined && jwtLifetimeSeconds !== undefined && jwtLifetimeSeconds > (issuedSeconds ?? requestedSeconds);
  if (extended) {
    explanations.push(
      `The server extended this token: the response says ${formatDuration(issuedSeconds ?? requestedSeconds)}, but the JWT is valid for ${formatDuration(jwtLifetimeSeconds)}. `
      + 'Kubernetes does this for Pod-bound tokens requested for exactly 3607 seconds (--service-account-extend-token-expiration, on by default) so that old clients that never refresh keep working. '
      + 'After the warn-after time the cluster still accepts the token but flags it as stale in audit logs.',
    );
  } else if (issuedSeconds !== undefined && jwtLifetimeSeconds !== undefined && Math.abs(jwtLifetimeSeconds - issuedSeconds) > 5) {
    explanations.push(`The JWT lifetime (${formatDuration(jwtLifetimeSeconds)}) differs from the response (${formatDuration(issuedSeconds)}); the JWT's exp is what servers check.`);
  }
  return {
    requestedSeconds,
    ...(issuedSeconds !== undefined ? { issuedSeconds } : {}),
    ...(jwtLifetimeSeconds !== undefined ? { jwtLifetimeSeconds } : {}),
    ...(effectiveExpiryMs !== undefined ? { effectiveExpiryMs } : {}),
    ...(warnAfterMs !== undefined ? { warnAfterMs } : {}),
    shortened,
    extended,
    explanations,
  };
}
