// Service-account JWTs: claims as pkg/serviceaccount/claims.go, signing via jose, validation as jwt.go.
import { randomUUID, verify } from 'node:crypto';
import { CompactSign } from 'jose';
import type { KeySet } from './keys';
import type { KObject, Store } from './store';

export interface Ref {
  name: string;
  uid?: string;
}

export interface PrivateClaims {
  namespace: string;
  serviceaccount: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
  warnafter?: number;
}

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti?: string;
  'kubernetes.io': PrivateClaims;
  nbf: number;
  sub: string;
}

export interface MintInput {
  issuer: string;
  audiences: string[];
  nowSec: number;
  expirationSeconds: number;
  warnAfterSeconds?: number;
  sa: KObject;
  pod?: KObject;
  secret?: KObject;
  node?: KObject;
  /** Node name from the pod spec, used even when the Node object is missing. */
  podNodeName?: string;
}

/** go-jose marshals the merged claims through a map, so keys are sorted at every level. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) {return v.map(sortKeys);}
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) {out[k] = sortKeys(x);}
    }
    return out;
  }
  return v;
}

export function buildClaims(i: MintInput): TokenClaims {
  const ref = (o: KObject): Ref => ({ name: o.metadata.name, uid: o.metadata.uid });
  const priv: PrivateClaims = { namespace: i.sa.metadata.namespace!, serviceaccount: ref(i.sa) };
  if (i.pod) {
    priv.pod = ref(i.pod);
    if (i.podNodeName) {priv.node = i.node ? ref(i.node) : { name: i.podNodeName };}
  } else if (i.secret) {priv.secret = ref(i.secret);}
  else if (i.node) {priv.node = ref(i.node);}
  if (i.warnAfterSeconds) {priv.warnafter = i.nowSec + i.warnAfterSeconds;}
  return {
    aud: [...i.audiences],
    exp: i.nowSec + i.expirationSeconds,
    iat: i.nowSec,
    iss: i.issuer,
    jti: randomUUID(),
    'kubernetes.io': priv,
    nbf: i.nowSec,
    sub: `system:serviceaccount:${i.sa.metadata.namespace}:${i.sa.metadata.name}`,
  };
}

export async function signClaims(keys: KeySet, claims: unknown): Promise<string> {
  const k = keys.signer;
  const payload = new TextEncoder().encode(JSON.stringify(sortKeys(claims)));
  return new CompactSign(payload).setProtectedHeader({ alg: k.alg, kid: k.kid }).sign(k.privateKey);
}

export interface ServiceAccountUser {
  username: string;
  uid: string;
  groups: string[];
  extra: Record<string, string[]>;
  audiences: string[];
  claims: TokenClaims;
}

export type ValidateResult = { ok: true; user: ServiceAccountUser } | { ok: false; ignored: boolean; error?: string };

const LEEWAY = 60;

function goQuoted(list: string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

function intersect(a: string[], b: string[]): string[] {
  return a.filter((x) => b.includes(x));
}

/** pkg/serviceaccount/jwt.go + lookup validator. `ignored` = not a token from this issuer. */
/** The signature check of the service-account authenticators: an error text, or undefined when good. */
export function checkSignature(parts: string[], header: { alg?: string; kid?: string }, keys: KeySet): string | undefined {
  const key = header.kid ? keys.find(header.kid) : undefined;
  if (!key) {return 'invalid signature, no keys found';}
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2]!, 'base64url');
  const good =
    header.alg === key.alg &&
    (key.alg === 'RS256'
      ? verify('sha256', signed, key.publicKey, sig)
      : verify('sha256', signed, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, sig));
  return good ? undefined : 'go-jose/go-jose: error in cryptographic primitive';
}

export function validateToken(
  token: string,
  opts: { keys: KeySet; issuers: string[]; apiAudiences: string[]; targetAudiences?: string[]; nowMs: number; store: Store },
): ValidateResult {
  const parts = token.split('.');
  if (parts.length !== 3) {return { ok: false, ignored: true };}
  let header: { alg?: string; kid?: string };
  let claims: TokenClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, ignored: true };
  }
  if (!claims || typeof claims !== 'object' || !opts.issuers.includes(claims.iss)) {return { ok: false, ignored: true };}
  const signatureError = checkSignature(parts, header, opts.keys);
  if (signatureError) {return { ok: false, ignored: false, error: signatureError };}
  const tokenAuds = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : opts.apiAudiences;
  const target = opts.targetAudiences?.length ? opts.targetAudiences : opts.apiAudiences;
  const auds = intersect(tokenAuds, target);
  if (!auds.length) {
    return { ok: false, ignored: false, error: `token audiences ${goQuoted(tokenAuds)} is invalid for the target audiences ${goQuoted(target)}` };
  }
  const now = Math.floor(opts.nowMs / 1000);
  if (typeof claims.exp === 'number' && now - LEEWAY > claims.exp) {return { ok: false, ignored: false, error: 'service account token has expired' };}
  if (typeof claims.nbf === 'number' && now + LEEWAY < claims.nbf) {return { ok: false, ignored: false, error: 'service account token is not valid yet' };}
  if (typeof claims.iat === 'number' && now + LEEWAY < claims.iat) {return { ok: false, ignored: false, error: 'service account token is issued in the future' };}
  const k = claims['kubernetes.io'];
  if (!k || !k.serviceaccount) {return { ok: false, ignored: false, error: 'service account token claims could not be validated due to unexpected private claim' };}
  const ns = k.namespace;
  const sa = opts.store.get('serviceaccounts', ns, k.serviceaccount.name);
  if (!sa) {return { ok: false, ignored: false, error: `serviceaccounts "${k.serviceaccount.name}" not found` };}
  if (sa.metadata.uid !== k.serviceaccount.uid) {
    return { ok: false, ignored: false, error: `service account UID (${sa.metadata.uid}) does not match claim (${k.serviceaccount.uid})` };
  }
  const checkBound = (kind: 'secret' | 'pod' | 'node', ref: Ref | undefined): string | undefined => {
    if (!ref) {return undefined;}
    const obj = kind === 'node' ? opts.store.get('nodes', undefined, ref.name) : opts.store.get(kind === 'pod' ? 'pods' : 'secrets', ns, ref.name);
    if (!obj) {return 'service account token has been invalidated';}
    const del = obj.metadata.deletionTimestamp ? Date.parse(obj.metadata.deletionTimestamp) : undefined;
    if (del !== undefined && del < opts.nowMs - LEEWAY * 1000) {return 'service account token has been invalidated';}
    if (ref.uid !== obj.metadata.uid) {return `${kind} UID (${obj.metadata.uid}) does not match service account ${kind} ref claim (${ref.uid})`;}
    return undefined;
  };
  // The node claim of Pod-bound tokens is informational and not checked.
  const boundErr = checkBound('secret', k.secret) ?? checkBound('pod', k.pod) ?? (k.pod ? undefined : checkBound('node', k.node));
  if (boundErr) {return { ok: false, ignored: false, error: boundErr };}
  const extra: Record<string, string[]> = {};
  if (claims.jti) {extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];}
  if (k.node?.name) {
    extra['authentication.kubernetes.io/node-name'] = [k.node.name];
    if (k.node.uid) {extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];}
  }
  if (k.pod?.name && k.pod.uid) {
    extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
  }
  return {
    ok: true,
    user: {
      username: `system:serviceaccount:${ns}:${k.serviceaccount.name}`,
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      extra: sortKeys(extra) as Record<string, string[]>,
      audiences: auds,
      claims,
    },
  };
}
