// Data of legacy kubernetes.io/service-account-token secrets (legacy JWT format, issuer kubernetes/serviceaccount).
import { createSign } from 'node:crypto';
import { sortKeys } from './jwt';
import type { State } from './state';
import type { KObject } from './store';

export function legacyToken(state: State, sa: KObject, secret: KObject): string {
  const k = state.keys.signer;
  const header = Buffer.from(JSON.stringify({ alg: k.alg, kid: k.kid })).toString('base64url');
  const claims = sortKeys({
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': sa.metadata.namespace,
    'kubernetes.io/serviceaccount/secret.name': secret.metadata.name,
    'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
    'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
    sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  });
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signer = createSign('sha256');
  signer.update(`${header}.${payload}`);
  const sig = k.alg === 'RS256' ? signer.sign(k.privateKey) : signer.sign({ key: k.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${sig.toString('base64url')}`;
}

export function legacyTokenSecretData(state: State, sa: KObject, secret: KObject): Record<string, string> {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return { 'ca.crt': b64(state.caPem), namespace: b64(sa.metadata.namespace!), token: b64(legacyToken(state, sa, secret)) };
}
