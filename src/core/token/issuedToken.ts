import { decodeToken } from './decodeToken';
import { estimateSkew } from '../expiry/expiry';
import { compareIssued, type IssuedComparison } from './issuedComparison';
import { kubernetesClaims } from './kubernetesClaims';
import type { TokenRequestOptions } from '../tokenRequest/tokenRequest';

/** What the server answered, as the kube layer hands it over (the token stays in memory). */
export interface IssuedResponse {
  readonly token: string;
  readonly spec: { readonly expirationSeconds: number | null; readonly audiences: readonly string[] | null };
  readonly expirationTimestamp: string | null;
  readonly serverDate?: string;
}

/** Where the token came from. */
export interface IssuedTarget {
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
}

/** Metadata to keep about an issued token: never the token. `StoredTokenMeta` is this plus the store id. */
export interface IssuedTokenMeta {
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly audiences: readonly string[];
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly warnAfter?: number;
  readonly boundObject?: TokenRequestOptions['boundObject'];
  readonly request: TokenRequestOptions;
  readonly issuedExpirationSeconds?: number;
  /** Local clock minus server clock (`ClockSkewMs`), from the response's Date header. */
  readonly clockSkewMs?: number;
  readonly dryRun?: boolean;
  readonly jti?: string;
}

/** The metadata plus the asked-vs-issued comparison shown to the user. */
export interface IssuedTokenSummary {
  readonly meta: IssuedTokenMeta;
  readonly comparison: IssuedComparison;
}

/**
 * Turns a TokenRequest response into the metadata the store keeps: expiry from the JWT `exp`
 * (authoritative for extended tokens), audiences as issued (the server fills in its defaults),
 * and the clock skew estimated from the `Date` header around the request.
 * @throws TokenError ERR_TOKEN_MALFORMED when the returned token is not a JWT.
 */
export function summarizeIssuedToken(
  request: TokenRequestOptions,
  response: IssuedResponse,
  target: IssuedTarget,
  timing: { readonly requestStart: number; readonly responseEnd: number },
): IssuedTokenSummary {
  const claims = decodeToken(response.token).claims;
  const k8s = kubernetesClaims(claims);
  const warnafter = k8s.kind === 'bound' ? k8s.warnAfter : undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  const comparison = compareIssued({
    ...(request.expirationSeconds !== undefined ? { requestedExpirationSeconds: request.expirationSeconds } : {}),
    responseExpirationSeconds: response.spec.expirationSeconds,
    expirationTimestamp: response.expirationTimestamp,
    ...(exp !== undefined ? { exp } : {}),
    ...(iat !== undefined ? { iat } : {}),
    ...(warnafter !== undefined ? { warnafter } : {}),
  });
  const clockSkewMs = estimateSkew(response.serverDate, timing.requestStart, timing.responseEnd);
  const tokenAudiences = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : undefined;
  const audiences = response.spec.audiences ?? tokenAudiences ?? request.audiences;
  const expiresAt = comparison.effectiveExpiryMs ?? timing.responseEnd + (response.spec.expirationSeconds ?? 3600) * 1000;
  const meta: IssuedTokenMeta = {
    context: target.context,
    cluster: target.cluster,
    server: target.server,
    namespace: request.namespace,
    serviceAccount: request.serviceAccount,
    audiences: [...audiences],
    issuedAt: iat !== undefined ? iat * 1000 : timing.responseEnd,
    expiresAt,
    ...(comparison.warnAfterMs !== undefined ? { warnAfter: comparison.warnAfterMs } : {}),
    ...(request.boundObject !== undefined ? { boundObject: request.boundObject } : {}),
    request,
    ...(typeof response.spec.expirationSeconds === 'number' ? { issuedExpirationSeconds: response.spec.expirationSeconds } : {}),
    ...(clockSkewMs !== undefined ? { clockSkewMs: Math.round(clockSkewMs) } : {}),
    ...(request.dryRun === true ? { dryRun: true } : {}),
    ...(typeof claims.jti === 'string' ? { jti: claims.jti } : {}),
  };
  return { meta, comparison };
}
