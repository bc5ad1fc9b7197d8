import type { KubeStatus, TokenErrorCode } from '../errors';

/** First retry after a failed auto-renewal, then doubling up to the cap. */
export const firstRetryDelayMs = 30_000;
export const maxRetryDelayMs = 5 * 60_000;

/** Delay before retry number `attempt` (1-based): 30 s, 1 m, 2 m, 4 m, 5 m, 5 m… */
export function retryDelayMs(attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** Math.min(n - 1, 20));
}

/**
 * When to try again after failed attempt `attempt` (local ms), or undefined to stop: retrying an expired
 * token's renewal is pointless noise, so the last retry lands no later than its expiry.
 */
export function nextRetryAt(now: number, attempt: number, localExpiresAt: number): number | undefined {
  if (now >= localExpiresAt) {
    return undefined;
  }
  return Math.min(now + retryDelayMs(attempt), localExpiresAt);
}

/** Failures a retry can fix (network, throttling, server trouble). Everything else needs the user. */
const transientCodes: ReadonlySet<TokenErrorCode> = new Set<TokenErrorCode>(['ERR_UNREACHABLE', 'ERR_TIMEOUT', 'ERR_TOO_MANY_REQUESTS', 'ERR_SERVER', 'ERR_EXEC_PLUGIN']);

export function isTransientRenewalError(code: string | undefined): boolean {
  return code !== undefined && transientCodes.has(code as TokenErrorCode);
}

/** Kubernetes NotFound details name the resource (`pods`); Conflict details name the Kind (`Pod`). */
const resourceOfKind: Readonly<Record<string, string>> = { Pod: 'pods', Secret: 'secrets', Node: 'nodes' };

/**
 * True when a TokenRequest failed because the token's bound object no longer exists (404 on it) or was
 * replaced by a namesake (409 uid mismatch): re-issuing the same spec can never work again.
 */
export function isBoundObjectGone(
  error: { readonly code?: string; readonly status?: KubeStatus } | undefined,
  bound: { readonly kind: string; readonly name: string } | undefined,
): boolean {
  if (error === undefined || bound === undefined) {
    return false;
  }
  const details = error.status?.details;
  if (error.code === 'ERR_NOT_FOUND') {
    // Without details, a 404 on a bound request is most likely the object (the SA is checked first, but then named).
    return details?.kind === undefined ? false : details.kind === resourceOfKind[bound.kind] && (details.name === undefined || details.name === bound.name);
  }
  if (error.code === 'ERR_CONFLICT') {
    return details?.kind === bound.kind;
  }
  return false;
}
