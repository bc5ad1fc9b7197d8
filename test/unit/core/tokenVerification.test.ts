import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { suite, suiteSetup, test } from 'mocha';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { verifyToken } from '../../../src/core/tokenVerification';
import { tokenTimeValidity } from '../../../src/core/tokenTimeValidity';
import { b64url, fakeJwt, issuedAtMs, issuedAtSeconds, podBoundClaims } from '../../fixtures/syntheticTokens';

const issuer = 'https://kubernetes.default.svc.cluster.local';
const now = issuedAtMs + 60_000;

interface TestKey { privateKey: CryptoKey; jwk: JWK }

async function makeKey(alg: 'RS256' | 'ES256' | 'PS256', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateKey, jwk };
}

async function sign(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.jwk.alg!, kid: key.jwk.kid!, ...header }).sign(key.privateKey);
}

suite('verifyToken', () => {
  let rsa: TestKey;
  let ec: TestKey;
  let attacker: TestKey;
  let rotatedOut: TestKey;
  let jwks: JSONWebKeySet;

  suiteSetup(async () => {
    rsa = await makeKey('RS256', 'rsa-1');
    ec = await makeKey('ES256', 'ec-1');
    attacker = await makeKey('RS256', 'rsa-1'); // same kid, different key: a forgery
    rotatedOut = await makeKey('RS256', 'rsa-old');
    jwks = { keys: [rsa.jwk, ec.jwk] };
  });

  test('verified with an RSA key', async () => {
    assert.deepEqual(await verifyToken(await sign(rsa, podBoundClaims()), jwks, { issuer, now }), { state: 'verified', kid: 'rsa-1', alg: 'RS256' });
  });

  test('verified with an EC key', async () => {
    assert.deepEqual(await verifyToken(await sign(ec, podBoundClaims()), jwks, { now }), { state: 'verified', kid: 'ec-1', alg: 'ES256' });
  });

  test('expiry does not make a good signature fail', async () => {
    const token = await sign(rsa, podBoundClaims());
    const later = (issuedAtSeconds + 86_400) * 1000;
    assert.deepEqual(await verifyToken(token, jwks, { issuer, now: later }), { state: 'verified', kid: 'rsa-1', alg: 'RS256' });
    const early = (issuedAtSeconds - 86_400) * 1000;
    assert.deepEqual(await verifyToken(token, jwks, { issuer, now: early }), { state: 'verified', kid: 'rsa-1', alg: 'RS256' });
    // Degenerate window (exp before nbf) still reports the signature, not a time error.
    const odd = await sign(rsa, podBoundClaims({ exp: issuedAtSeconds - 10 }));
    assert.deepEqual(await verifyToken(odd, jwks, { now }), { state: 'verified', kid: 'rsa-1', alg: 'RS256' });
  });

  test('forged signature (attacker key with the same kid)', async () => {
    assert.deepEqual(await verifyToken(await sign(attacker, podBoundClaims()), jwks, { issuer, now }), { state: 'invalid-signature', kid: 'rsa-1', alg: 'RS256' });
  });

  test('tampered payload', async () => {
    const [h, , s] = (await sign(rsa, podBoundClaims())).split('.');
    const tampered = `${h}.${b64url(podBoundClaims({ sub: 'system:serviceaccount:kube-system:admin' }))}.${s}`;
    assert.deepEqual(await verifyToken(tampered, jwks, { issuer, now }), { state: 'invalid-signature', kid: 'rsa-1', alg: 'RS256' });
  });

  test('rotated key: kid absent from the JWKS asks for a refetch', async () => {
    assert.deepEqual(await verifyToken(await sign(rotatedOut, podBoundClaims()), jwks, { issuer, now }),
      { state: 'key-not-found', kid: 'rsa-old', alg: 'RS256', needsRefetch: true });
  });

  test('kid naming a key of another type is not found either', async () => {
    const token = await sign(rsa, podBoundClaims(), { kid: 'ec-1' });
    assert.deepEqual(await verifyToken(token, jwks, { now }), { state: 'key-not-found', kid: 'ec-1', alg: 'RS256', needsRefetch: true });
  });

  test('alg none is never accepted', async () => {
    const token = fakeJwt({ alg: 'none', kid: 'rsa-1' }, podBoundClaims(), '');
    assert.deepEqual(await verifyToken(token, jwks, { issuer, now }), { state: 'unsupported-algorithm', alg: 'none' });
    const noAlg = fakeJwt({ kid: 'rsa-1' }, podBoundClaims(), '');
    assert.deepEqual(await verifyToken(noAlg, jwks, { issuer, now }), { state: 'unsupported-algorithm', alg: 'none' });
  });

  test('HS256 signed with the public key as the HMAC secret is rejected (key confusion)', async () => {
    const signingInput = `${b64url({ alg: 'HS256', kid: 'rsa-1' })}.${b64url(podBoundClaims())}`;
    for (const secret of [JSON.stringify(rsa.jwk), rsa.jwk.n!]) {
      const mac = createHmac('sha256', secret).update(signingInput).digest('base64url');
      assert.deepEqual(await verifyToken(`${signingInput}.${mac}`, jwks, { issuer, now }), { state: 'unsupported-algorithm', alg: 'HS256' });
    }
    // Even a JWKS carrying a symmetric key cannot make HS256 acceptable.
    const withOct: JSONWebKeySet = { keys: [...jwks.keys, { kty: 'oct', k: b64url('secret', true), kid: 'oct-1' }] };
    const signing = `${b64url({ alg: 'HS256', kid: 'oct-1' })}.${b64url(podBoundClaims())}`;
    const mac = createHmac('sha256', 'secret').update(signing).digest('base64url');
    assert.deepEqual(await verifyToken(`${signing}.${mac}`, withOct, { now }), { state: 'unsupported-algorithm', alg: 'HS256' });
  });

  test('not a Kubernetes token', async () => {
    assert.deepEqual(await verifyToken(await sign(rsa, { iss: 'https://accounts.example', sub: 'alice' }), jwks, { now }),
      { state: 'not-kubernetes', reason: 'The token has no "kubernetes.io" claim; it was not issued by a Kubernetes API server for a service account.' });
  });

  test('another issuer', async () => {
    assert.deepEqual(await verifyToken(await sign(rsa, podBoundClaims({ iss: 'https://other.example' })), jwks, { issuer, now }),
      { state: 'issuer-mismatch', expected: issuer, actual: 'https://other.example' });
  });

  test('malformed token and malformed key set', async () => {
    assert.deepEqual(await verifyToken('a.b', jwks, { now }),
      { state: 'malformed', message: 'This is not a JWT: expected three base64url parts separated by dots (header.payload.signature), found 2.' });
    const token = await sign(rsa, podBoundClaims());
    assert.deepEqual(await verifyToken(token, { keys: 'nope' } as unknown as JSONWebKeySet, { now }),
      { state: 'malformed', message: "The cluster's key set is malformed: JSON Web Key Set malformed" });
  });

  test('no kid: any matching key that verifies wins, others do not', async () => {
    const second = await makeKey('RS256', 'rsa-2');
    const twoRsa: JSONWebKeySet = { keys: [rsa.jwk, { ...second.jwk }].map(({ kid: _kid, ...k }) => k) };
    const token = await new SignJWT(podBoundClaims()).setProtectedHeader({ alg: 'RS256' }).sign(second.privateKey);
    assert.deepEqual(await verifyToken(token, twoRsa, { now }), { state: 'verified', alg: 'RS256' });
    const forged = await new SignJWT(podBoundClaims()).setProtectedHeader({ alg: 'RS256' }).sign(attacker.privateKey);
    assert.deepEqual(await verifyToken(forged, twoRsa, { now }), { state: 'invalid-signature', alg: 'RS256' });
  });

  test('PS256 is on the allowlist', async () => {
    const ps = await makeKey('PS256', 'ps-1');
    assert.deepEqual(await verifyToken(await sign(ps, podBoundClaims()), { keys: [ps.jwk] }, { now }), { state: 'verified', kid: 'ps-1', alg: 'PS256' });
  });
});

suite('tokenTimeValidity', () => {
  const claims = { nbf: issuedAtSeconds, exp: issuedAtSeconds + 3600 };

  test('valid inside the window', () => {
    assert.deepEqual(tokenTimeValidity(claims, issuedAtMs + 1000), { state: 'valid' });
  });

  test('expired only after the server leeway', () => {
    const expMs = (issuedAtSeconds + 3600) * 1000;
    assert.deepEqual(tokenTimeValidity(claims, expMs + 59_999), { state: 'valid' });
    assert.deepEqual(tokenTimeValidity(claims, expMs + 60_000), { state: 'expired', sinceMs: 60_000 });
    assert.deepEqual(tokenTimeValidity(claims, expMs, 0), { state: 'expired', sinceMs: 0 });
  });

  test('not yet valid before nbf minus leeway', () => {
    assert.deepEqual(tokenTimeValidity(claims, issuedAtMs - 60_000), { state: 'valid' });
    assert.deepEqual(tokenTimeValidity(claims, issuedAtMs - 60_001), { state: 'not-yet-valid', inMs: 60_001 });
  });

  test('no exp', () => {
    assert.deepEqual(tokenTimeValidity({}, issuedAtMs), { state: 'no-expiry' });
  });
});
