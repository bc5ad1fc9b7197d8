import { isAscii } from 'node:buffer';
import { constants, verify } from 'node:crypto';
import type { KeyObject, VerifyKeyObjectInput } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { decodeToken, maxTokenLength } from './decodeToken';
import { isTokenError } from '../errors';
import { jwkKeyCache } from './jwkKeyCache';
import { kubernetesClaims } from './kubernetesClaims';

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

/** How one JWS algorithm is checked with `node:crypto`, and which JWKs can serve it (RFC 7518 §3, RFC 8037). */
interface AlgorithmSpec {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** Required JWK `crv` (EC and OKP). */
  readonly crv?: string;
  /** Digest for `crypto.verify`; null for EdDSA, which hashes internally. */
  readonly hash: string | null;
  readonly pss?: { readonly saltLength: number };
  /** ECDSA signatures in JWS are r || s (IEEE P1363), not DER. */
  readonly p1363?: true;
}

const rsa = (bits: number): AlgorithmSpec => ({ kty: 'RSA', hash: `sha${bits}` });
const pss = (bits: number): AlgorithmSpec => ({ kty: 'RSA', hash: `sha${bits}`, pss: { saltLength: bits / 8 } });
const ecdsa = (crv: string, bits: number): AlgorithmSpec => ({ kty: 'EC', crv, hash: `sha${bits}`, p1363: true });
const ed25519: AlgorithmSpec = { kty: 'OKP', crv: 'Ed25519', hash: null };

const algorithmSpecs: ReadonlyMap<string, AlgorithmSpec> = new Map([
  ['RS256', rsa(256)], ['RS384', rsa(384)], ['RS512', rsa(512)],
  ['PS256', pss(256)], ['PS384', pss(384)], ['PS512', pss(512)],
  ['ES256', ecdsa('P-256', 256)], ['ES384', ecdsa('P-384', 384)], ['ES512', ecdsa('P-521', 512)],
  ['EdDSA', ed25519], ['Ed25519', ed25519],
]);

/** Smaller RSA keys are refused outright (RFC 7518 §3.3), as jose did. */
const minRsaBits = 2048;

type Json = Record<string, unknown>;

/** What verification needs from a decoded token. */
interface TokenParts {
  readonly header: Json;
  readonly claims: Json;
  readonly signingInput: string;
  readonly signature: string;
}

/** Three base64url parts and nothing else: a token exactly as issued, with nothing for `decodeToken` to clean up. */
const plainCompactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether base64url text (valid alphabet, length % 4 !== 1) is the canonical encoding of its bytes: the bits
 * of the last character beyond the final byte must be zero. Decoders ignore them, so without this check one
 * signature would have several spellings.
 */
function isCanonicalBase64url(text: string): boolean {
  const spare = text.length % 4 === 2 ? 0b1111 : text.length % 4 === 3 ? 0b11 : 0;
  return spare === 0 || (base64urlAlphabet.indexOf(text[text.length - 1]!) & spare) === 0;
}

function jsonObjectPart(part: string): Json | undefined {
  if (part.length % 4 === 1) {
    return undefined;
  }
  try {
    const bytes = Buffer.from(part, 'base64url');
    // ASCII (every real token) reads the same as Latin-1 and cannot hold a BOM; only other text needs the UTF-8 decoder.
    const value: unknown = JSON.parse(isAscii(bytes) ? bytes.toString('latin1') : fatalUtf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `decodeToken`'s result for the common case (a clean token, as the API server issues it), at a fraction of
 * its cost: it validates and decodes every part twice, which alone would take half a signature check. Only
 * inputs `decodeToken` leaves unchanged and decodes the same way are taken (three base64url parts, fatal
 * UTF-8, JSON object header and payload); for anything else this returns `undefined`, and the caller runs
 * `decodeToken` itself, which also words the malformed-input messages.
 */
function decodeCleanToken(raw: string): TokenParts | undefined {
  if (typeof raw !== 'string' || raw.length > maxTokenLength || !plainCompactJws.test(raw)) {
    return undefined;
  }
  const firstDot = raw.indexOf('.');
  const secondDot = raw.indexOf('.', firstDot + 1);
  const signature = raw.slice(secondDot + 1);
  if (signature.length % 4 === 1) {
    return undefined;
  }
  const header = jsonObjectPart(raw.slice(0, firstDot));
  const claims = header === undefined ? undefined : jsonObjectPart(raw.slice(firstDot + 1, secondDot));
  return claims === undefined ? undefined : { header: header!, claims, signingInput: raw.slice(0, secondDot), signature };
}

/** A plain object (what JSON.parse produces): the only shape a key set or key may have. */
function isPlainObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') {
    return false;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** Whether a key set member may verify `alg` for a token naming `kid` (the selection rules jose's local JWKS used). */
function fits(jwk: Json, spec: AlgorithmSpec, alg: string, kid: unknown): boolean {
  const keyOps = jwk.key_ops;
  return (jwk.ext === undefined || typeof jwk.ext === 'boolean')
    && (keyOps === undefined || (Array.isArray(keyOps) && keyOps.every((op, i) => typeof op === 'string' && keyOps.indexOf(op) === i) && keyOps.includes('verify')))
    && jwk.kty === spec.kty
    && (kid === undefined || (typeof kid === 'string' && jwk.kid === kid))
    && (jwk.alg === undefined || jwk.alg === alg)
    && (jwk.use === undefined || jwk.use === 'sig')
    && (spec.crv === undefined || jwk.crv === spec.crv);
}

/** `crit` handling of RFC 7515 §4.1.11: only `b64` is understood. An error result, or whether the payload is base64url. */
function critical(header: Json, alg: string): VerificationResult | boolean {
  const crit = header.crit;
  if (crit === undefined) {
    return true;
  }
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((p) => typeof p !== 'string' || p.length === 0)) {
    return { state: 'malformed', message: '"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present' };
  }
  for (const parameter of crit as string[]) {
    if (parameter !== 'b64') {
      // An extension we do not implement could change what the signature means: not verifiable here.
      return { state: 'unsupported-algorithm', alg };
    }
    if (header.b64 === undefined) {
      return { state: 'malformed', message: 'Extension Header Parameter "b64" is missing' };
    }
  }
  if (typeof header.b64 !== 'boolean') {
    return { state: 'malformed', message: 'The "b64" (base64url-encode payload) Header Parameter must be a boolean' };
  }
  return header.b64;
}

function signatureMatches(spec: AlgorithmSpec, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  let verifyKey: KeyObject | VerifyKeyObjectInput = key;
  if (spec.pss !== undefined) {
    verifyKey = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.pss.saltLength };
  } else if (spec.p1363) {
    verifyKey = { key, dsaEncoding: 'ieee-p1363' };
  }
  try {
    return verify(spec.hash, data, verifyKey, signature);
  } catch {
    // e.g. a signature of impossible length: it does not verify, whatever the reason.
    return false;
  }
}

/**
 * Verifies a token's signature against a JWKS (the cluster's `/openid/v1/jwks`), with an explicit
 * allowlist of asymmetric algorithms. An expired token with a good signature is `verified`: expiry is a
 * separate question (see `tokenTimeValidity`). Never throws.
 *
 * Uses `node:crypto` directly with keys imported once per JWK object (see `jwkKeyCache`): WebCrypto (what
 * jose verifies with) costs about twice a synchronous `crypto.verify` per token, and re-importing the key
 * set on every call cost far more (issue 8: decode + verify within 80 % of a bare `crypto.verify`).
 */
export async function verifyToken(raw: string, jwks: JSONWebKeySet, options: VerifyTokenOptions): Promise<VerificationResult> {
  let decoded = decodeCleanToken(raw);
  if (decoded === undefined) {
    try {
      decoded = decodeToken(raw) as TokenParts;
    } catch (e) {
      return { state: 'malformed', message: isTokenError(e) ? e.message : 'The token could not be decoded.' };
    }
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
async function verifySignature(decoded: TokenParts, jwks: JSONWebKeySet): Promise<VerificationResult> {
  const { header, claims } = decoded;
  const alg = typeof header.alg === 'string' ? header.alg : 'none';
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const spec = algorithmSpecs.get(alg);
  if (spec === undefined || !allowedAlgorithms.includes(alg)) {
    return { state: 'unsupported-algorithm', alg };
  }
  const identity = kubernetesClaims(claims);
  if (identity.kind === 'not-kubernetes') {
    return { state: 'not-kubernetes', reason: identity.reason };
  }
  const keys: unknown = isPlainObject(jwks) ? jwks.keys : undefined;
  if (!Array.isArray(keys) || !keys.every(isPlainObject)) {
    return { state: 'malformed', message: "The cluster's key set is malformed: JSON Web Key Set malformed" };
  }
  const b64 = critical(header, alg);
  if (typeof b64 !== 'boolean') {
    return b64;
  }
  const keyId = kid === undefined ? {} : { kid };
  // A present but non-string kid names no key (so nothing is found), as with jose.
  const candidates = (keys as Json[]).filter((jwk) => fits(jwk, spec, alg, header.kid));
  if (candidates.length === 0) {
    return { state: 'key-not-found', ...keyId, alg, needsRefetch: true };
  }
  // A signature spelled differently from what the signer wrote (stray low bits) is not its signature.
  const signature = isCanonicalBase64url(decoded.signature) ? Buffer.from(decoded.signature, 'base64url') : undefined;
  const data = Buffer.from(decoded.signingInput, 'latin1');
  const attempt = ({ key, modulusLength }: { key: KeyObject; modulusLength?: number }): VerificationResult => {
    if (spec.kty === 'RSA' && (modulusLength ?? 0) < minRsaBits) {
      return { state: 'malformed', message: `${alg} requires key modulusLength to be ${minRsaBits} bits or larger` };
    }
    if (signature === undefined || !signatureMatches(spec, key, data, signature)) {
      return { state: 'invalid-signature', ...keyId, alg };
    }
    // Claims are checked only after the signature (an unencoded payload is no JWT; RFC 7797 §7).
    return b64 ? { state: 'verified', ...keyId, alg } : { state: 'malformed', message: 'JWTs MUST NOT use unencoded payload' };
  };
  if (candidates.length === 1) {
    const imported = jwkKeyCache(candidates[0]!);
    return imported.ok ? attempt(imported) : { state: 'malformed', message: `The cluster's key set is malformed: ${imported.reason}` };
  }
  // No kid (or a duplicated one) and several candidate keys: the signature is good if any usable one verifies it.
  for (const jwk of candidates) {
    const imported = jwkKeyCache(jwk);
    if (imported.ok && attempt(imported).state === 'verified') {
      return { state: 'verified', alg };
    }
  }
  return { state: 'invalid-signature', alg };
}
