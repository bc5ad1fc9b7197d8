import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';

export const benchIssuer = 'https://kubernetes.default.svc.cluster.local';

/** Bound service-account tokens signed with a throwaway RS256 key, in the shape a real API server issues. */
export interface SignedTokens {
  readonly tokens: string[];
  readonly jwks: JSONWebKeySet;
  readonly publicKey: KeyObject;
}

export function signedTokens(count: number, nowSeconds = Math.floor(Date.now() / 1000)): SignedTokens {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'bench-key-1';
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = b64({ alg: 'RS256', kid, typ: 'JWT' });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const payload = b64({
      aud: [benchIssuer],
      exp: nowSeconds + 3600,
      iat: nowSeconds,
      nbf: nowSeconds,
      iss: benchIssuer,
      jti: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      'kubernetes.io': {
        namespace: `ns-${i % 50}`,
        serviceaccount: { name: `sa-${i}`, uid: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}` },
        pod: { name: `pod-${i}`, uid: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}` },
        node: { name: 'worker-1', uid: '00000000-0000-4000-b000-000000000001' },
      },
      sub: `system:serviceaccount:ns-${i % 50}:sa-${i}`,
    });
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
    tokens.push(`${header}.${payload}.${signature}`);
  }
  const jwk = publicKey.export({ format: 'jwk' });
  return { tokens, jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } as JSONWebKeySet, publicKey };
}
