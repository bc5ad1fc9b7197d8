// Service-account signing keys: the active signer plus older verification keys (rotation), JWKS view.
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** kid = unpadded base64url SHA-256 of the public key's DER SubjectPublicKeyInfo (pkg/serviceaccount/jwt.go). */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

export function generateSigningKey(alg: 'RS256' | 'ES256'): SigningKey {
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: keyId(pair.publicKey), alg, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export class KeySet {
  private _signer: SigningKey;
  private _verifiers: SigningKey[];

  constructor(alg: 'RS256' | 'ES256') {
    this._signer = generateSigningKey(alg);
    // A second, retired key is always published, as clusters mid-rotation do.
    this._verifiers = [this._signer, generateSigningKey(alg)];
  }

  get signer(): SigningKey {
    return this._signer;
  }

  get verifiers(): readonly SigningKey[] {
    return this._verifiers;
  }

  find(kid: string): SigningKey | undefined {
    return this._verifiers.find((k) => k.kid === kid);
  }

  /** New signer; the old verification keys are kept (tokens stay valid) unless dropOld. */
  rotate(alg: 'RS256' | 'ES256', dropOld: boolean): SigningKey {
    const next = generateSigningKey(alg);
    this._verifiers = dropOld ? [next] : [next, ...this._verifiers];
    this._signer = next;
    return next;
  }

  jwks(): { keys: Record<string, string>[] } {
    return {
      keys: this._verifiers.map((k) => {
        const jwk = k.publicKey.export({ format: 'jwk' }) as Record<string, string>;
        const out: Record<string, string> = k.alg === 'RS256'
          ? { use: 'sig', kty: 'RSA', kid: k.kid, alg: 'RS256', n: jwk.n, e: jwk.e }
          : { use: 'sig', kty: 'EC', kid: k.kid, crv: jwk.crv, alg: 'ES256', x: jwk.x, y: jwk.y };
        return out;
      }),
    };
  }

  algorithms(): string[] {
    return [...new Set(this._verifiers.map((k) => k.alg))].sort();
  }
}
