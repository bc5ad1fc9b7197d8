import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A JWK turned into a `node:crypto` public key, or why it cannot be one. */
export type ImportedJwk =
  | { readonly ok: true; readonly key: KeyObject; /** RSA only; read once here (the KeyObject getter asks OpenSSL on every call). */ readonly modulusLength?: number }
  | { readonly ok: false; readonly reason: string };

/** The members the imported key depends on; a cached import is reused only while they are unchanged. */
const materialMembers = ['kty', 'crv', 'n', 'e', 'x', 'y', 'd', 'priv', 'key_ops'] as const;

interface CacheEntry {
  readonly material: readonly unknown[];
  readonly imported: ImportedJwk;
}

// Keyed on the JWK object itself, so a JWKS fetched once and reused imports each key once (importing is
// slower than verifying), keys of unrelated key sets never mix, and dropped key sets are collected.
const cache = new WeakMap<object, CacheEntry>();

function unchanged(entry: CacheEntry, jwk: Record<string, unknown>): boolean {
  for (let i = 0; i < materialMembers.length; i++) {
    if (entry.material[i] !== jwk[materialMembers[i]!]) {
      return false;
    }
  }
  return true;
}

function importJwk(jwk: Record<string, unknown>): ImportedJwk {
  // Node derives a public key from a private JWK without complaint; a key set that publishes private keys is broken.
  if (jwk.d !== undefined || jwk.priv !== undefined) {
    return { ok: false, reason: 'JSON Web Key Set members must be public keys' };
  }
  // A public key can only verify; other operations make the key unusable (as WebCrypto's import rejects them).
  if (Array.isArray(jwk.key_ops) && jwk.key_ops.some((op) => op !== 'verify')) {
    return { ok: false, reason: 'a public key\'s "key_ops" may only contain "verify"' };
  }
  try {
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    if (key.type !== 'public') {
      return { ok: false, reason: 'JSON Web Key Set members must be public keys' };
    }
    const modulusLength = key.asymmetricKeyDetails?.modulusLength;
    return modulusLength === undefined ? { ok: true, key } : { ok: true, key, modulusLength };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** The public key for a JWK (a plain object from the key set), imported once per JWK object and reused. */
export function jwkKeyCache(jwk: Record<string, unknown>): ImportedJwk {
  const cached = cache.get(jwk);
  if (cached !== undefined && unchanged(cached, jwk)) {
    return cached.imported;
  }
  const imported = importJwk(jwk);
  cache.set(jwk, { material: materialMembers.map((member) => jwk[member]), imported });
  return imported;
}
