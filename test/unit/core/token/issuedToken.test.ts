import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { isTokenError } from '../../../../src/core/errors';
import { summarizeIssuedToken } from '../../../../src/core/token/issuedToken';
import type { TokenRequestOptions } from '../../../../src/core/tokenRequest/tokenRequest';
import { extendedClaims, fakeJwt, issuedAtMs, issuedAtSeconds, podBoundClaims } from '../../../fixtures/syntheticTokens';

const header = { alg: 'RS256', kid: 'k1' };
const target = { context: 'ctx', cluster: 'c1', server: 'https://127.0.0.1:6443' };
const request: TokenRequestOptions = { namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 7200, boundObject: { kind: 'Pod', name: 'runner-7', uid: 'p7' } };

suite('summarizeIssuedToken', () => {
  test('takes expiry from the JWT, audiences from the response, skew from the Date header', () => {
    const token = fakeJwt(header, podBoundClaims());
    const { meta, comparison } = summarizeIssuedToken(
      request,
      { token, spec: { expirationSeconds: 3600, audiences: ['https://kubernetes.default.svc.cluster.local'] }, expirationTimestamp: '2026-07-01T11:00:00Z', serverDate: new Date(issuedAtMs).toUTCString() },
      target,
      // The local clock is 10 s ahead of the server: request sent at +9.5 s, answered at +10.5 s local.
      { requestStart: issuedAtMs + 9_500, responseEnd: issuedAtMs + 10_500 },
    );
    assert.equal(meta.expiresAt, (issuedAtSeconds + 3600) * 1000);
    assert.equal(meta.issuedAt, issuedAtMs);
    assert.deepEqual(meta.audiences, ['https://kubernetes.default.svc.cluster.local']);
    assert.equal(meta.issuedExpirationSeconds, 3600);
    // Local minus server (StoredTokenMeta convention): Date has 1 s resolution, its midpoint is +500 ms.
    assert.equal(meta.clockSkewMs, 9_500);
    assert.equal(meta.jti, '2b0c6a52-2c4e-4a38-9b9e-000000000001');
    assert.deepEqual(meta.boundObject, request.boundObject);
    assert.equal(meta.request, request);
    assert.equal(meta.dryRun, undefined);
    assert.equal(comparison.shortened, true);
    assert.ok(!('token' in meta));
    assert.ok(!JSON.stringify(meta).includes(token.split('.')[1]!));
  });

  test('flags extended tokens and keeps warnafter', () => {
    const token = fakeJwt(header, extendedClaims());
    const { meta, comparison } = summarizeIssuedToken(
      { ...request, expirationSeconds: 3607, dryRun: true },
      { token, spec: { expirationSeconds: 3607, audiences: null }, expirationTimestamp: null },
      target,
      { requestStart: issuedAtMs, responseEnd: issuedAtMs },
    );
    assert.equal(comparison.extended, true);
    assert.equal(meta.warnAfter, (issuedAtSeconds + 3607) * 1000);
    assert.equal(meta.expiresAt, (issuedAtSeconds + 31_536_000) * 1000);
    assert.deepEqual(meta.audiences, ['https://kubernetes.default.svc.cluster.local'], 'falls back to the JWT aud');
    assert.equal(meta.clockSkewMs, undefined);
    assert.equal(meta.dryRun, true);
  });

  test('rejects a response whose token is not a JWT', () => {
    assert.throws(
      () => summarizeIssuedToken(request, { token: 'not-a-jwt', spec: { expirationSeconds: 3600, audiences: null }, expirationTimestamp: null }, target, { requestStart: 0, responseEnd: 0 }),
      (e: unknown) => isTokenError(e) && e.code === 'ERR_TOKEN_MALFORMED',
    );
  });
});
