/** Whether a token is usable now, independently of its signature. */
export type TokenTimeValidity =
  | { readonly state: 'valid' }
  | { readonly state: 'expired'; readonly sinceMs: number }
  | { readonly state: 'not-yet-valid'; readonly inMs: number }
  | { readonly state: 'no-expiry' };

/** The API server's leeway for exp/nbf/iat checks (1 minute). */
export const serverLeewayMs = 60_000;

/**
 * Time validity as the API server judges it: expired once `exp` plus leeway has passed, not yet valid
 * before `nbf` minus leeway. `now` in ms; `leewayMs` defaults to the server's minute.
 */
export function tokenTimeValidity(claims: { readonly exp?: number; readonly nbf?: number }, now: number, leewayMs = serverLeewayMs): TokenTimeValidity {
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 - leewayMs > now) {
    return { state: 'not-yet-valid', inMs: claims.nbf * 1000 - now };
  }
  if (typeof claims.exp !== 'number') {
    return { state: 'no-expiry' };
  }
  if (claims.exp * 1000 + leewayMs <= now) {
    return { state: 'expired', sinceMs: now - claims.exp * 1000 };
  }
  return { state: 'valid' };
}
