/**
 * Stands in for jose in dist/extension.js (`--alias:jose=…` in package.json's build:ext), as
 * yamlOnFirstUse does for js-yaml. Only decoding and verifying a token need jose, yet bundling it costs
 * every activation its parse and its algorithm tables (about a sixth of the bundle's load time). The
 * real one is dist/jose.js, required on first use; what it exports is exactly what src imports.
 */
import type { JSONWebKeySet, JWTPayload, ProtectedHeaderParameters } from 'jose';
import type * as Jose from './jose';

let loaded: typeof Jose | undefined;
function jose(): typeof Jose {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./jose.js') as typeof Jose);
}

export function decodeJwt<Payload = JWTPayload>(jwt: string): Payload & JWTPayload {
  return jose().decodeJwt<Payload>(jwt);
}

export function decodeProtectedHeader(token: string | object): ProtectedHeaderParameters {
  return jose().decodeProtectedHeader(token);
}

export function createLocalJWKSet(jwks: JSONWebKeySet): ReturnType<typeof Jose.createLocalJWKSet> {
  return jose().createLocalJWKSet(jwks);
}

export const compactVerify = ((...args: Parameters<typeof Jose.compactVerify>) => jose().compactVerify(...args)) as typeof Jose.compactVerify;

export const base64url: typeof Jose.base64url = {
  decode: (input) => jose().base64url.decode(input),
  encode: (input) => jose().base64url.encode(input),
};

/** The error classes, read on first use (`e instanceof errors.JOSEError`). */
export const errors = new Proxy({}, { get: (_target, name) => Reflect.get(jose().errors, name) }) as typeof Jose.errors;
