import { compactVerify, createLocalJWKSet, errors } from 'jose';
import type { CompactVerifyGetKey, CompactVerifyResult, CryptoKey, JSONWebKeySet } from 'jose';
import { decodeToken } from './decodeToken';
import type { DecodedToken } from './decodeToken';
import { isTokenError } from '../errors';
import { kubernetesClaims } from './kubernetesClaims';
import { describeError } from '../logLine';

/** Asymmetric algorithms a Kubernetes issuer (or an external signer) can use. HS* and `none` are never accepted. */
export const allowedAlgorithms: readonly string[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Outcome of checking a token's signature against the cluster's keys. Time validity is reported separately. */
export type VerificationResult =
  | {
    readonly state: 'verified';
    readonly kid?: string;
    readonly alg: string;
    /**
     * The token's `iss` when it is not the cluster's current issuer, yet a key of the cluster signed it: a
     * legacy Secret token (`kubernetes/serviceaccount`) or a token from another --service-account-issuer.
     */
    readonly issuer?: string;
  }
  | { readonly state: 'invalid-signature'; readonly kid?: string; readonly alg: string }
  | { readonly state: 'key-not-found'; readonly kid?: string; readonly alg: string; /** Fetch the JWKS again: the key may be newer than the cache. */ readonly needsRefetch: true }
  | { readonly state: 'unsupported-algorithm'; readonly alg: string }
  | { readonly state: 'issuer-mismatch'; readonly expected: string; readonly actual?: string }
  | { readonly state: 'not-kubernetes'; readonly reason: string }
  | { readonly state: 'malformed'; readonly message: string };

/** Inputs besides the token and keys. */
export interface VerifyTokenOptions {
  /**
   * The cluster's issuer (from discovery). The API server accepts every --service-account-issuer it lists and
   * the legacy issuer, all signed by its keys, but discovery names only the first: a token of another issuer
   * that a cluster key verifies is reported as verified with its issuer; one no cluster key signed is foreign.
   */
  readonly issuer?: string;
  /** Current time in ms. The signature result never depends on it (time validity is `tokenTimeValidity`'s job). */
  readonly now: number;
}

/** jose refuses any other `alg` before it looks for a key, whatever the key set holds. */
const verifyOptions = { algorithms: [...allowedAlgorithms] };

/** jose chose a key of the set but could not import it: the cluster's key set is at fault, not the token. */
class UnusableKeySet extends Error {}

// One resolver per key set object: jose imports each key on first use and keeps it while the set lives, so a
// JWKS fetched once is imported once. jose copies the set when the resolver is made, so a rotation is seen
// when it arrives as a refetch (a new object), not as an edit of a set already used.
const keyResolvers = new WeakMap<JSONWebKeySet, CompactVerifyGetKey<CryptoKey>>();

/** @throws jose's `ERR_JWKS_INVALID` when `jwks` is no key set. */
function keyResolver(jwks: JSONWebKeySet): CompactVerifyGetKey<CryptoKey> {
  let resolver = keyResolvers.get(jwks);
  if (resolver === undefined) {
    const localKeySet = createLocalJWKSet(jwks);
    resolver = async (header, token) => {
      try {
        return await localKeySet(header, token);
      } catch (e) {
        // No key, several keys or an unknown alg are answers about the token; anything else is the key's import.
        if (e instanceof errors.JOSEError && e.code !== 'ERR_JWKS_INVALID') {
          throw e;
        }
        throw new UnusableKeySet(describeError(e), { cause: e });
      }
    };
    keyResolvers.set(jwks, resolver);
  }
  return resolver;
}


function errorCode(e: unknown): string | undefined {
  return e instanceof errors.JOSEError ? e.code : undefined;
}

/**
 * Verifies a token's signature against a JWKS (the cluster's `/openid/v1/jwks`) with jose, with an explicit
 * allowlist of asymmetric algorithms. An expired token with a good signature is `verified`: expiry is a
 * separate question (see `tokenTimeValidity`). Never throws.
 */
export async function verifyToken(raw: string, jwks: JSONWebKeySet, options: VerifyTokenOptions): Promise<VerificationResult> {
  let decoded: DecodedToken;
  try {
    decoded = decodeToken(raw);
  } catch (e) {
    return { state: 'malformed', message: isTokenError(e) ? e.message : 'The token could not be decoded.' };
  }
  const result = await verifySignature(decoded, jwks);
  const iss = decoded.claims.iss;
  if (options.issuer === undefined || iss === options.issuer) {
    return result;
  }
  if (result.state === 'verified') {
    return { ...result, issuer: typeof iss === 'string' ? iss : '' };
  }
  if (result.state === 'key-not-found') {
    return { state: 'issuer-mismatch', expected: options.issuer, ...(typeof iss === 'string' ? { actual: iss } : {}) };
  }
  return result;
}

/** Whether a key of the set signed the token, whatever its issuer. */
async function verifySignature(decoded: DecodedToken, jwks: JSONWebKeySet): Promise<VerificationResult> {
  const { header, claims } = decoded;
  const alg = typeof header.alg === 'string' ? header.alg : 'none';
  // A present but non-string kid names no key (jose finds none), and is not reported.
  const keyId = typeof header.kid === 'string' ? { kid: header.kid } : {};
  if (!allowedAlgorithms.includes(alg)) {
    return { state: 'unsupported-algorithm', alg };
  }
  const identity = kubernetesClaims(claims);
  if (identity.kind === 'not-kubernetes') {
    return { state: 'not-kubernetes', reason: identity.reason };
  }
  let resolveKey: CompactVerifyGetKey<CryptoKey>;
  try {
    resolveKey = keyResolver(jwks);
  } catch (e) {
    return { state: 'malformed', message: `The cluster's key set is malformed: ${describeError(e)}` };
  }
  try {
    return asJwt(await compactVerify(decoded.raw, resolveKey, verifyOptions), { state: 'verified', ...keyId, alg });
  } catch (e) {
    if (e instanceof errors.JWKSMultipleMatchingKeys) {
      return verifyWithAnyCandidate(decoded.raw, e, alg);
    }
    if (e instanceof UnusableKeySet) {
      return { state: 'malformed', message: `The cluster's key set is malformed: ${e.message}` };
    }
    switch (errorCode(e)) {
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return { state: 'invalid-signature', ...keyId, alg };
      case 'ERR_JWKS_NO_MATCHING_KEY':
        return { state: 'key-not-found', ...keyId, alg, needsRefetch: true };
      // Includes a `crit` extension jose does not implement: it could change what the signature means.
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
      case 'ERR_JOSE_NOT_SUPPORTED':
        return { state: 'unsupported-algorithm', alg };
      default:
        // ERR_JWS_INVALID (e.g. a bad `crit`) and key checks such as an RSA key under 2048 bits.
        return { state: 'malformed', message: describeError(e) };
    }
  }
}

/** No kid (or one several keys share): the signature is good if any candidate jose could import verifies it. */
async function verifyWithAnyCandidate(token: string, candidates: errors.JWKSMultipleMatchingKeys, alg: string): Promise<VerificationResult> {
  for await (const key of candidates) {
    let verified: CompactVerifyResult;
    try {
      verified = await compactVerify(token, key, verifyOptions);
    } catch {
      continue;
    }
    return asJwt(verified, { state: 'verified', alg });
  }
  return { state: 'invalid-signature', alg };
}

/** A good signature over an unencoded payload (RFC 7797) is a valid JWS but no JWT. */
function asJwt(verified: CompactVerifyResult, result: VerificationResult): VerificationResult {
  return verified.protectedHeader.b64 === false ? { state: 'malformed', message: 'JWTs MUST NOT use unencoded payload' } : result;
}
