import * as assert from 'node:assert/strict';
import { constants, createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { suite, suiteSetup, test } from 'mocha';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { verifyToken } from '../../../../src/core/token/tokenVerification';
import { tokenTimeValidity } from '../../../../src/core/token/tokenTimeValidity';
import { b64url, fakeJwt, issuedAtMs, issuedAtSeconds, podBoundClaims } from '../../../fixtures/syntheticTokens';

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

  test('another issuer: foreign when no cluster key signed it; verified, naming the issuer, when one did', async () => {
    const foreign = nodeKey('rsa', {}, { kid: 'foreign' });
    const foreignToken = nodeJwt({ alg: 'RS256', kid: 'foreign' }, podBoundClaims({ iss: 'https://other.example' }), foreign.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(foreignToken, jwks, { issuer, now }), { state: 'issuer-mismatch', expected: issuer, actual: 'https://other.example' });
    // A second --service-account-issuer (a migration) or the legacy issuer: the cluster's own key signed it.
    const older = await verifyToken(await sign(rsa, podBoundClaims({ iss: 'https://other.example' })), jwks, { issuer, now });
    assert.equal(older.state, 'verified');
    assert.equal((older as { issuer?: string }).issuer, 'https://other.example');
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

interface NodeKey { privateKey: KeyObject; jwk: JWK }

/** A key pair made with node:crypto (an independent signer from jose), its public JWK with `extra` members. */
function nodeKey(type: 'rsa' | 'ec' | 'ed25519', options: { modulusLength?: number; namedCurve?: string } = {}, extra: Partial<JWK> = {}): NodeKey {
  const pair = type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 })
    : type === 'ec' ? generateKeyPairSync('ec', { namedCurve: options.namedCurve ?? 'P-256' }) : generateKeyPairSync('ed25519');
  return { privateKey: pair.privateKey, jwk: { ...pair.publicKey.export({ format: 'jwk' }), ...extra } as JWK };
}

type SignOptions = { hash: string | null; pssSaltLength?: number; dsaEncoding?: 'der' | 'ieee-p1363' };

/** A compact JWS over `header` and `claims`, signed with node:crypto as `how` says. */
function nodeJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject, how: SignOptions): string {
  const signingInput = `${b64url(header)}.${b64url(claims)}`;
  const signer = how.pssSaltLength !== undefined
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: how.pssSaltLength }
    : how.dsaEncoding !== undefined ? { key, dsaEncoding: how.dsaEncoding } : key;
  return `${signingInput}.${nodeSign(how.hash, Buffer.from(signingInput), signer).toString('base64url')}`;
}

/** The same token with one changed character in the payload (signature left as it was). */
function tamper(token: string): string {
  const [h, , s] = token.split('.');
  return `${h}.${b64url(podBoundClaims({ sub: 'system:serviceaccount:kube-system:admin' }))}.${s}`;
}

suite('verifyToken: algorithms and key selection', () => {
  test('PS256/PS384/PS512: RSA-PSS with the salt as long as the hash; another salt length does not verify', async () => {
    const key = nodeKey('rsa', {}, { kid: 'ps' });
    const jwks: JSONWebKeySet = { keys: [key.jwk] };
    for (const [alg, hash, salt] of [['PS256', 'sha256', 32], ['PS384', 'sha384', 48], ['PS512', 'sha512', 64]] as const) {
      const token = nodeJwt({ alg, kid: 'ps' }, podBoundClaims(), key.privateKey, { hash, pssSaltLength: salt });
      assert.deepEqual(await verifyToken(token, jwks, { now }), { state: 'verified', kid: 'ps', alg }, alg);
      assert.deepEqual(await verifyToken(tamper(token), jwks, { now }), { state: 'invalid-signature', kid: 'ps', alg }, `${alg} tampered`);
      const otherSalt = nodeJwt({ alg, kid: 'ps' }, podBoundClaims(), key.privateKey, { hash, pssSaltLength: 20 });
      assert.deepEqual(await verifyToken(otherSalt, jwks, { now }), { state: 'invalid-signature', kid: 'ps', alg }, `${alg} salt 20`);
      // A PKCS#1 v1.5 signature is not a PSS one (and the other way round).
      const pkcs1 = nodeJwt({ alg, kid: 'ps' }, podBoundClaims(), key.privateKey, { hash });
      assert.deepEqual(await verifyToken(pkcs1, jwks, { now }), { state: 'invalid-signature', kid: 'ps', alg }, `${alg} as PKCS#1`);
    }
    const rs = nodeJwt({ alg: 'RS256', kid: 'ps' }, podBoundClaims(), key.privateKey, { hash: 'sha256', pssSaltLength: 32 });
    assert.deepEqual(await verifyToken(rs, jwks, { now }), { state: 'invalid-signature', kid: 'ps', alg: 'RS256' });
  });

  test('RS384 and RS512 use their own hash', async () => {
    const key = nodeKey('rsa', {}, { kid: 'r' });
    for (const [alg, hash, wrong] of [['RS384', 'sha384', 'sha256'], ['RS512', 'sha512', 'sha384']] as const) {
      const token = nodeJwt({ alg, kid: 'r' }, podBoundClaims(), key.privateKey, { hash });
      assert.deepEqual(await verifyToken(token, { keys: [key.jwk] }, { now }), { state: 'verified', kid: 'r', alg });
      const wrongHash = nodeJwt({ alg, kid: 'r' }, podBoundClaims(), key.privateKey, { hash: wrong });
      assert.deepEqual(await verifyToken(wrongHash, { keys: [key.jwk] }, { now }), { state: 'invalid-signature', kid: 'r', alg });
    }
  });

  test('ES384 needs a P-384 key: the curve must match the algorithm', async () => {
    const p384 = nodeKey('ec', { namedCurve: 'P-384' }, { kid: 'ec' });
    const p256 = nodeKey('ec', { namedCurve: 'P-256' }, { kid: 'ec' });
    const token = nodeJwt({ alg: 'ES384', kid: 'ec' }, podBoundClaims(), p384.privateKey, { hash: 'sha384', dsaEncoding: 'ieee-p1363' });
    assert.deepEqual(await verifyToken(token, { keys: [p384.jwk] }, { now }), { state: 'verified', kid: 'ec', alg: 'ES384' });
    assert.deepEqual(await verifyToken(tamper(token), { keys: [p384.jwk] }, { now }), { state: 'invalid-signature', kid: 'ec', alg: 'ES384' });
    // A P-256 key under the same kid is no candidate for ES384, even with a signature it made itself.
    const onP256 = nodeJwt({ alg: 'ES384', kid: 'ec' }, podBoundClaims(), p256.privateKey, { hash: 'sha384', dsaEncoding: 'ieee-p1363' });
    assert.deepEqual(await verifyToken(onP256, { keys: [p256.jwk] }, { now }), { state: 'key-not-found', kid: 'ec', alg: 'ES384', needsRefetch: true });
    // Nor does a JWK that claims P-384 for the P-256 point import as something that verifies.
    const mislabelled = { ...p256.jwk, crv: 'P-384' };
    assert.equal((await verifyToken(onP256, { keys: [mislabelled] }, { now })).state, 'malformed');
    // With both keys present, the P-384 one is chosen.
    assert.deepEqual(await verifyToken(token, { keys: [p256.jwk, p384.jwk] }, { now }), { state: 'verified', kid: 'ec', alg: 'ES384' });
  });

  test('ECDSA signatures are r || s (JWS), not DER, and a wrong length is just invalid', async () => {
    const key = nodeKey('ec', { namedCurve: 'P-256' }, { kid: 'ec' });
    const jwks: JSONWebKeySet = { keys: [key.jwk] };
    const der = nodeJwt({ alg: 'ES256', kid: 'ec' }, podBoundClaims(), key.privateKey, { hash: 'sha256', dsaEncoding: 'der' });
    assert.deepEqual(await verifyToken(der, jwks, { now }), { state: 'invalid-signature', kid: 'ec', alg: 'ES256' });
    const good = nodeJwt({ alg: 'ES256', kid: 'ec' }, podBoundClaims(), key.privateKey, { hash: 'sha256', dsaEncoding: 'ieee-p1363' });
    assert.deepEqual(await verifyToken(good, jwks, { now }), { state: 'verified', kid: 'ec', alg: 'ES256' });
    const truncated = good.slice(0, good.lastIndexOf('.') + 40);
    assert.deepEqual(await verifyToken(truncated, jwks, { now }), { state: 'invalid-signature', kid: 'ec', alg: 'ES256' });
    const unsigned = good.slice(0, good.lastIndexOf('.') + 1);
    assert.deepEqual(await verifyToken(unsigned, jwks, { now }), { state: 'invalid-signature', kid: 'ec', alg: 'ES256' });
    const es512 = nodeKey('ec', { namedCurve: 'P-521' }, { kid: 'ec5' });
    const token512 = nodeJwt({ alg: 'ES512', kid: 'ec5' }, podBoundClaims(), es512.privateKey, { hash: 'sha512', dsaEncoding: 'ieee-p1363' });
    assert.deepEqual(await verifyToken(token512, { keys: [es512.jwk] }, { now }), { state: 'verified', kid: 'ec5', alg: 'ES512' });
  });

  test('Ed25519 under both names (EdDSA and Ed25519)', async () => {
    const key = nodeKey('ed25519', {}, { kid: 'ed' });
    const jwks: JSONWebKeySet = { keys: [key.jwk] };
    for (const alg of ['EdDSA', 'Ed25519']) {
      const token = nodeJwt({ alg, kid: 'ed' }, podBoundClaims(), key.privateKey, { hash: null });
      assert.deepEqual(await verifyToken(token, jwks, { now }), { state: 'verified', kid: 'ed', alg });
      assert.deepEqual(await verifyToken(tamper(token), jwks, { now }), { state: 'invalid-signature', kid: 'ed', alg });
    }
    // A JWK pinned to one name is not a candidate for the other.
    const pinned = { keys: [{ ...key.jwk, alg: 'EdDSA' }] };
    const token = nodeJwt({ alg: 'Ed25519', kid: 'ed' }, podBoundClaims(), key.privateKey, { hash: null });
    assert.deepEqual(await verifyToken(token, pinned, { now }), { state: 'key-not-found', kid: 'ed', alg: 'Ed25519', needsRefetch: true });
    // An EdDSA token and an RSA key under its kid: no candidate.
    const rsa = nodeKey('rsa', {}, { kid: 'ed' });
    assert.deepEqual(await verifyToken(token, { keys: [rsa.jwk] }, { now }), { state: 'key-not-found', kid: 'ed', alg: 'Ed25519', needsRefetch: true });
  });

  test('a JWK whose alg differs from the header is not used', async () => {
    const key = nodeKey('rsa', {}, { kid: 'k', alg: 'RS512' });
    const token = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims(), key.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(token, { keys: [key.jwk] }, { now }), { state: 'key-not-found', kid: 'k', alg: 'RS256', needsRefetch: true });
    assert.deepEqual(await verifyToken(token, { keys: [{ ...key.jwk, alg: 'RS256' }] }, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
    assert.deepEqual(await verifyToken(token, { keys: [{ ...key.jwk, alg: undefined }] }, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
  });

  test('a JWK with use=enc (or key_ops without verify) is not used for signatures', async () => {
    const key = nodeKey('rsa', {}, { kid: 'k' });
    const token = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims(), key.privateKey, { hash: 'sha256' });
    const notFound = { state: 'key-not-found', kid: 'k', alg: 'RS256', needsRefetch: true };
    assert.deepEqual(await verifyToken(token, { keys: [{ ...key.jwk, use: 'enc' }] }, { now }), notFound);
    assert.deepEqual(await verifyToken(token, { keys: [{ ...key.jwk, key_ops: ['encrypt'] }] }, { now }), notFound);
    assert.deepEqual(await verifyToken(token, { keys: [{ ...key.jwk, use: 'sig', key_ops: ['verify'] }] }, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
    // No kid: the enc key is skipped and the sig key (same material) verifies.
    const noKid = nodeJwt({ alg: 'RS256' }, podBoundClaims(), key.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(noKid, { keys: [{ ...key.jwk, use: 'enc' }] }, { now }), { state: 'key-not-found', alg: 'RS256', needsRefetch: true });
    assert.deepEqual(await verifyToken(noKid, { keys: [{ ...key.jwk, use: 'enc' }, key.jwk] }, { now }), { state: 'verified', alg: 'RS256' });
  });

  test('no kid: only keys fitting the algorithm are tried, and any that verifies wins', async () => {
    const ec = nodeKey('ec');
    const rsaA = nodeKey('rsa');
    const rsaB = nodeKey('rsa');
    const jwks: JSONWebKeySet = { keys: [ec.jwk, rsaA.jwk, rsaB.jwk] };
    const byB = nodeJwt({ alg: 'RS256' }, podBoundClaims(), rsaB.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(byB, jwks, { now }), { state: 'verified', alg: 'RS256' });
    assert.deepEqual(await verifyToken(tamper(byB), jwks, { now }), { state: 'invalid-signature', alg: 'RS256' });
    const byEc = nodeJwt({ alg: 'ES256' }, podBoundClaims(), ec.privateKey, { hash: 'sha256', dsaEncoding: 'ieee-p1363' });
    assert.deepEqual(await verifyToken(byEc, jwks, { now }), { state: 'verified', alg: 'ES256' });
    // A kid that is not a string names no key.
    const numericKid = nodeJwt({ alg: 'RS256', kid: 7 }, podBoundClaims(), rsaB.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(numericKid, jwks, { now }), { state: 'key-not-found', alg: 'RS256', needsRefetch: true });
  });

  test('RSA keys under 2048 bits and private keys in the set are refused', async () => {
    const small = nodeKey('rsa', { modulusLength: 1024 }, { kid: 'small' });
    const token = nodeJwt({ alg: 'RS256', kid: 'small' }, podBoundClaims(), small.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(token, { keys: [small.jwk] }, { now }),
      { state: 'malformed', message: 'RS256 requires key modulusLength to be 2048 bits or larger' });
    const key = nodeKey('rsa', {}, { kid: 'k' });
    const privateJwk = { ...(key.privateKey.export({ format: 'jwk' }) as JWK), kid: 'k' };
    const signed = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims(), key.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(signed, { keys: [privateJwk] }, { now }),
      { state: 'malformed', message: "The cluster's key set is malformed: JSON Web Key Set members must be public keys" });
    const broken = await verifyToken(signed, { keys: [{ kty: 'RSA', kid: 'k', n: 'AQAB' }] }, { now });
    assert.equal(broken.state, 'malformed');
    assert.match((broken as { message: string }).message, /^The cluster's key set is malformed: /);
  });

  test('a signature spelled with stray low bits decodes to the signer\'s bytes and verifies (jose\'s base64url)', async () => {
    const key = nodeKey('ed25519', {}, { kid: 'ed' });
    const token = nodeJwt({ alg: 'EdDSA', kid: 'ed' }, podBoundClaims(), key.privateKey, { hash: null });
    // 64 bytes -> 86 characters; the last one carries 4 unused bits, which base64url decoders ignore.
    const last = token[token.length - 1]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) | 1]!;
    assert.notEqual(sibling, last);
    const respelled = token.slice(0, -1) + sibling;
    assert.deepEqual(Buffer.from(respelled.split('.')[2]!, 'base64url'), Buffer.from(token.split('.')[2]!, 'base64url'));
    assert.deepEqual(await verifyToken(token, { keys: [key.jwk] }, { now }), { state: 'verified', kid: 'ed', alg: 'EdDSA' });
    assert.deepEqual(await verifyToken(respelled, { keys: [key.jwk] }, { now }), { state: 'verified', kid: 'ed', alg: 'EdDSA' });
  });

  test('pasted forms decodeToken cleans up verify the same; its messages stay', async () => {
    const key = nodeKey('rsa', {}, { kid: 'k' });
    const token = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims(), key.privateKey, { hash: 'sha256' });
    const jwks: JSONWebKeySet = { keys: [key.jwk] };
    for (const pasted of [`Bearer ${token}`, `"${token}"`, ` ${token.slice(0, 100)}\n${token.slice(100)} `]) {
      assert.deepEqual(await verifyToken(pasted, jwks, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
    }
    const [h, p, s] = token.split('.');
    assert.deepEqual(await verifyToken(`${h}.${p}+.${s}`, jwks, { now }),
      { state: 'malformed', message: 'The payload (part 2) is not valid base64url: unexpected character "+" at position ' + (p!.length + 1) + '.' });
    assert.deepEqual(await verifyToken(`${h}.${p}.${s}=`, jwks, { now }), { state: 'malformed', message: 'The signature (part 3) is not valid base64url.' });
    assert.deepEqual(await verifyToken(`${b64url([1])}.${p}.${s}`, jwks, { now }), { state: 'malformed', message: 'The header (part 1) must be a JSON object, found an array.' });
    assert.deepEqual(await verifyToken(`${h}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${s}`, jwks, { now }), { state: 'malformed', message: 'The payload (part 2) does not decode to UTF-8 text.' });
  });

  test('non-ASCII claims and a BOM decode as decodeToken decodes them', async () => {
    const key = nodeKey('rsa', {}, { kid: 'k' });
    const jwks: JSONWebKeySet = { keys: [key.jwk] };
    const unicode = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims({ iss: 'https://kübernetes.example/✓' }), key.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(unicode, jwks, { issuer: 'https://kübernetes.example/✓', now }), { state: 'verified', kid: 'k', alg: 'RS256' });
    assert.deepEqual(await verifyToken(unicode, jwks, { issuer, now }), { state: 'verified', kid: 'k', alg: 'RS256', issuer: 'https://kübernetes.example/✓' });
    // A UTF-8 byte order mark before the JSON: decodeToken strips it, so the token still decodes and verifies.
    const h = Buffer.from('\ufeff{"alg":"RS256","kid":"k"}').toString('base64url');
    const p = b64url(podBoundClaims());
    const bom = `${h}.${p}.${nodeSign('sha256', Buffer.from(`${h}.${p}`), key.privateKey).toString('base64url')}`;
    assert.deepEqual(await verifyToken(bom, jwks, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
  });

  test('crit: only b64 is understood, and an unencoded payload is no JWT', async () => {
    const key = nodeKey('rsa', {}, { kid: 'k' });
    const jwks: JSONWebKeySet = { keys: [key.jwk] };
    const signed = (header: Record<string, unknown>) => nodeJwt({ alg: 'RS256', kid: 'k', ...header }, podBoundClaims(), key.privateKey, { hash: 'sha256' });
    assert.deepEqual(await verifyToken(signed({ crit: ['exp-x'], 'exp-x': 1 }), jwks, { now }), { state: 'unsupported-algorithm', alg: 'RS256' });
    assert.deepEqual(await verifyToken(signed({ crit: [] }), jwks, { now }),
      { state: 'malformed', message: '"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present' });
    assert.deepEqual(await verifyToken(signed({ crit: ['b64'] }), jwks, { now }), { state: 'malformed', message: 'Extension Header Parameter "b64" is missing' });
    assert.deepEqual(await verifyToken(signed({ crit: ['b64'], b64: false }), jwks, { now }), { state: 'malformed', message: 'JWTs MUST NOT use unencoded payload' });
    assert.deepEqual(await verifyToken(signed({ crit: ['b64'], b64: true }), jwks, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
  });
});

suite('verifyToken: key cache', () => {
  test('the same key set twice gives the same result; another set under the same kid is its own', async () => {
    const a = nodeKey('rsa', {}, { kid: 'k' });
    const b = nodeKey('rsa', {}, { kid: 'k' });
    const byA = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims(), a.privateKey, { hash: 'sha256' });
    const byB = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims(), b.privateKey, { hash: 'sha256' });
    const setA: JSONWebKeySet = { keys: [a.jwk] };
    const setB: JSONWebKeySet = { keys: [b.jwk] };
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(await verifyToken(byA, setA, { now }), { state: 'verified', kid: 'k', alg: 'RS256' }, `round ${round}`);
      assert.deepEqual(await verifyToken(byA, setB, { now }), { state: 'invalid-signature', kid: 'k', alg: 'RS256' }, `round ${round}`);
      assert.deepEqual(await verifyToken(byB, setB, { now }), { state: 'verified', kid: 'k', alg: 'RS256' }, `round ${round}`);
      assert.deepEqual(await verifyToken(byB, setA, { now }), { state: 'invalid-signature', kid: 'k', alg: 'RS256' }, `round ${round}`);
    }
    // An equal copy (a refetch) works too.
    assert.deepEqual(await verifyToken(byA, JSON.parse(JSON.stringify(setA)) as JSONWebKeySet, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
  });

  test('a rotation arrives as a refetched key set: the new set is read, the one used before keeps its keys', async () => {
    const a = nodeKey('rsa', {}, { kid: 'k' });
    const b = nodeKey('rsa', {}, { kid: 'k' });
    const byB = nodeJwt({ alg: 'RS256', kid: 'k' }, podBoundClaims(), b.privateKey, { hash: 'sha256' });
    const before: JSONWebKeySet = { keys: [a.jwk] };
    assert.deepEqual(await verifyToken(byB, before, { now }), { state: 'invalid-signature', kid: 'k', alg: 'RS256' });
    const rotated: JSONWebKeySet = { keys: [{ ...a.jwk, n: b.jwk.n }] };
    assert.deepEqual(await verifyToken(byB, rotated, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
    assert.deepEqual(await verifyToken(byB, before, { now }), { state: 'invalid-signature', kid: 'k', alg: 'RS256' });
    const other = nodeKey('ec', {}, { kid: 'e' });
    const byOther = nodeJwt({ alg: 'ES256', kid: 'e' }, podBoundClaims(), other.privateKey, { hash: 'sha256', dsaEncoding: 'ieee-p1363' });
    assert.deepEqual(await verifyToken(byOther, rotated, { now }), { state: 'key-not-found', kid: 'e', alg: 'ES256', needsRefetch: true });
    const added: JSONWebKeySet = { keys: [...rotated.keys, other.jwk] };
    assert.deepEqual(await verifyToken(byOther, added, { now }), { state: 'verified', kid: 'e', alg: 'ES256' });
    assert.deepEqual(await verifyToken(byB, added, { now }), { state: 'verified', kid: 'k', alg: 'RS256' });
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
