import type { JWTPayload } from 'jose';
import { kubernetesClaims } from '../token/kubernetesClaims';
import type { BoundObject, TokenRequestOptions } from '../tokenRequest/tokenRequest';

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

/** The object a token is bound to, with its uid, as its own claims say (undefined for unbound or non-Kubernetes tokens). */
export function tokenBinding(claims: JWTPayload): BoundObject | undefined {
  const k8s = kubernetesClaims(claims);
  if (k8s.kind !== 'bound' || k8s.binding === undefined) {
    return undefined;
  }
  return k8s.binding.uid === undefined ? { kind: k8s.binding.kind, name: k8s.binding.name } : { kind: k8s.binding.kind, name: k8s.binding.name, uid: k8s.binding.uid };
}
