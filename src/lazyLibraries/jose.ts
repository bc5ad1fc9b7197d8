/** jose for the extension bundle, bundled apart as dist/jose.js (see joseOnFirstUse.ts). */
export { base64url, compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors } from 'jose';
