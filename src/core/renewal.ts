import type { JWTPayload } from 'jose';
import { kubernetesClaims } from './kubernetesClaims';
import type { BoundObject, TokenRequestOptions } from './tokenRequest';

/**
 * The request that renews a token: the same spec (audiences, lifetime, bound object) with the bound object's
 * uid pinned, taken from the token itself when the original request did not name it, so a recreated namesake
 * is refused by the server (409) instead of silently bound.
 */
export function renewalRequest(request: TokenRequestOptions, boundObject?: BoundObject): TokenRequestOptions {
  const bound = request.boundObject;
  if (bound === undefined || (bound.uid !== undefined && bound.uid !== '')) {
    return request;
  }
  const uid = boundObject !== undefined && boundObject.kind === bound.kind && boundObject.name === bound.name ? boundObject.uid : undefined;
  return uid === undefined || uid === '' ? request : { ...request, boundObject: { ...bound, uid } };
}

/** The time and identity facts of a freshly issued token, from its (decoded, unverified) claims. */
export interface IssuedTokenFacts {
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly warnAfter?: number;
  readonly jti?: string;
  readonly boundObject?: BoundObject;
}

/**
 * Reads `iat`, `exp` (authoritative: extended tokens outlive the response's expirationTimestamp), `warnafter`,
 * `jti` and the binding from the JWT claims. `fallbackNow` stands in for a missing `iat`.
 */
export function issuedTokenFacts(claims: JWTPayload, fallbackNow: number, fallbackExpiresAt?: number): IssuedTokenFacts {
  const k8s = kubernetesClaims(claims);
  const issuedAt = typeof claims.iat === 'number' ? claims.iat * 1000 : fallbackNow;
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : fallbackExpiresAt ?? issuedAt;
  const facts: { -readonly [K in keyof IssuedTokenFacts]: IssuedTokenFacts[K] } = { issuedAt, expiresAt };
  if (k8s.kind === 'bound') {
    if (k8s.warnAfter !== undefined) {
      facts.warnAfter = k8s.warnAfter * 1000;
    }
    if (k8s.binding !== undefined) {
      facts.boundObject = k8s.binding.uid === undefined ? { kind: k8s.binding.kind, name: k8s.binding.name } : { ...k8s.binding };
    }
  }
  if (typeof claims.jti === 'string' && claims.jti !== '') {
    facts.jti = claims.jti;
  }
  return facts;
}
