import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey, KeyObject, CryptoKey } from 'jose';
import { decodeToken } from './decodeToken';
import { isTokenError } from './errors';
import { kubernetesClaims } from './kubernetesClaims';

/** Asymmetric algorithms a Kubernetes issuer (or an external signer) can use. HS* and `none` are never accepted. */
export const allowedAlgorithms: readonly string[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Outcome of checking a token's signature against the cluster's keys. Time validity is reported separately. */
export type VerificationResult =
  | { readonly state: 'verified'; readonly kid?: string; readonly alg: string }
  | { readonly state: 'invalid-signature'; readonly kid?: string; readonly alg: string }
  | { readonly state: 'key-not-found'; readonly kid?: string; readonly alg: string; /** Fetch the JWKS again: the key may be newer than the cache. */ readonly needsRefetch: true }
  | { readonly state: 'unsupported-algorithm'; readonly alg: string }
  | { readonly state: 'issuer-mismatch'; readonly expected: string; readonly actual?: string }
  | { readonly state: 'not-kubernetes'; readonly reason: string }
  | { readonly state: 'malformed'; readonly message: string };

/** Inputs besides the token and keys. */
export interface VerifyTokenOptions {
  /** The cluster's issuer (from discovery); a token from another issuer is reported, not verified. */
  readonly issuer?: string;
  /** Current time in ms; only used to keep jose's time checks out of the signature result. */
  readonly now: number;
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

/** A moment (seconds) inside the token's own validity window, so jose's exp/nbf checks cannot fail. */
function insideValidity(claims: { exp?: number; nbf?: number }, now: number): Date {
  let seconds = Math.floor(now / 1000);
  if (typeof claims.exp === 'number' && claims.exp <= seconds) {
    seconds = claims.exp - 1;
  }
  if (typeof claims.nbf === 'number' && claims.nbf > seconds) {
    seconds = claims.nbf;
  }
  return new Date(seconds * 1000);
}

/**
 * Verifies a token's signature against a JWKS (the cluster's `/openid/v1/jwks`), with an explicit
 * allowlist of asymmetric algorithms. An expired token with a good signature is `verified`: expiry is a
 * separate question (see `tokenTimeValidity`). Never throws.
 */
export async function verifyToken(raw: string, jwks: JSONWebKeySet, options: VerifyTokenOptions): Promise<VerificationResult> {
  let decoded;
  try {
    decoded = decodeToken(raw);
  } catch (e) {
    return { state: 'malformed', message: isTokenError(e) ? e.message : 'The token could not be decoded.' };
  }
  const { header, claims } = decoded;
  const alg = typeof header.alg === 'string' ? header.alg : 'none';
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  if (!allowedAlgorithms.includes(alg)) {
    return { state: 'unsupported-algorithm', alg };
  }
  const identity = kubernetesClaims(claims);
  if (identity.kind === 'not-kubernetes') {
    return { state: 'not-kubernetes', reason: identity.reason };
  }
  if (options.issuer !== undefined && claims.iss !== options.issuer) {
    return { state: 'issuer-mismatch', expected: options.issuer, ...(typeof claims.iss === 'string' ? { actual: claims.iss } : {}) };
  }
  let getKey: JWTVerifyGetKey;
  try {
    getKey = createLocalJWKSet(jwks);
  } catch (e) {
    return { state: 'malformed', message: `The cluster's key set is malformed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const verifyOptions = { algorithms: [...allowedAlgorithms], currentDate: insideValidity(claims, options.now) };
  const keyId = kid === undefined ? {} : { kid };
  const attempt = async (key: JWTVerifyGetKey | KeyObject | CryptoKey): Promise<VerificationResult> => {
    try {
      await jwtVerify(decoded.raw, key as JWTVerifyGetKey, verifyOptions);
      return { state: 'verified', ...keyId, alg };
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
        // jose checks claims only after the signature passed; a degenerate time window must not hide that.
        return { state: 'verified', ...keyId, alg };
      }
      if (code === 'ERR_JWKS_NO_MATCHING_KEY') {
        return { state: 'key-not-found', ...keyId, alg, needsRefetch: true };
      }
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
        return { state: 'invalid-signature', ...keyId, alg };
      }
      if (code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' && typeof e === 'object' && e !== null && Symbol.asyncIterator in e) {
        // No kid and several candidate keys: the signature is good if any of them verifies it.
        for await (const candidate of e as AsyncIterable<KeyObject | CryptoKey>) {
          if ((await attempt(candidate)).state === 'verified') {
            return { state: 'verified', alg };
          }
        }
        return { state: 'invalid-signature', alg };
      }
      if (code === 'ERR_JOSE_NOT_SUPPORTED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') {
        return { state: 'unsupported-algorithm', alg };
      }
      return { state: 'malformed', message: e instanceof Error ? e.message : String(e) };
    }
  };
  return attempt(getKey);
}
