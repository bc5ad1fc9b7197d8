import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { compareIssued } from '../../../../src/core/token/issuedComparison';
import { issuedAtMs, issuedAtSeconds } from '../../../fixtures/syntheticTokens';

suite('compareIssued', () => {
  test('exactly what was asked: no explanations', () => {
    assert.deepEqual(compareIssued({
      requestedExpirationSeconds: 3600, responseExpirationSeconds: 3600, expirationTimestamp: '2026-07-01T11:00:00Z',
      iat: issuedAtSeconds, exp: issuedAtSeconds + 3600,
    }), {
      requestedSeconds: 3600, issuedSeconds: 3600, jwtLifetimeSeconds: 3600, effectiveExpiryMs: issuedAtMs + 3_600_000,
      shortened: false, extended: false, explanations: [],
    });
  });

  test('shortened by the server cap', () => {
    const result = compareIssued({ requestedExpirationSeconds: 172_800, responseExpirationSeconds: 86_400, iat: issuedAtSeconds, exp: issuedAtSeconds + 86_400 });
    assert.equal(result.shortened, true);
    assert.equal(result.extended, false);
    assert.deepEqual(result.explanations, ['You asked for 2d but the server issued 1d: its --service-account-max-token-expiration caps token lifetimes.']);
  });

  test('no request means the 3600 s default', () => {
    const result = compareIssued({ responseExpirationSeconds: 3600, iat: issuedAtSeconds, exp: issuedAtSeconds + 3600 });
    assert.equal(result.requestedSeconds, 3600);
    assert.equal(result.shortened, false);
    assert.equal(compareIssued({ responseExpirationSeconds: 1800 }).shortened, true);
  });

  test('extended: response says 3607 s, JWT lives a year with warnafter', () => {
    const result = compareIssued({
      requestedExpirationSeconds: 3607, responseExpirationSeconds: 3607, expirationTimestamp: '2026-07-01T11:00:07Z',
      iat: issuedAtSeconds, exp: issuedAtSeconds + 31_536_000, warnafter: issuedAtSeconds + 3607,
    });
    assert.equal(result.extended, true);
    assert.equal(result.shortened, false);
    assert.equal(result.effectiveExpiryMs, (issuedAtSeconds + 31_536_000) * 1000);
    assert.equal(result.warnAfterMs, (issuedAtSeconds + 3607) * 1000);
    assert.deepEqual(result.explanations, [
      'The server extended this token: the response says 1h 7s, but the JWT is valid for 365d. '
      + 'Kubernetes does this for Pod-bound tokens requested for exactly 3607 seconds (--service-account-extend-token-expiration, on by default) so that old clients that never refresh keep working. '
      + 'After the warn-after time the cluster still accepts the token but flags it as stale in audit logs.',
    ]);
  });

  test('JWT exp wins over the response timestamp; timestamp used when there is no exp', () => {
    assert.equal(compareIssued({ expirationTimestamp: '2026-07-01T11:00:00Z' }).effectiveExpiryMs, Date.parse('2026-07-01T11:00:00Z'));
    assert.equal(compareIssued({ expirationTimestamp: 'garbage' }).effectiveExpiryMs, undefined);
    assert.equal(compareIssued({ expirationTimestamp: null, exp: 5 }).effectiveExpiryMs, 5000);
  });

  test('a JWT lifetime that disagrees with the response is pointed out', () => {
    const result = compareIssued({ responseExpirationSeconds: 3600, iat: issuedAtSeconds, exp: issuedAtSeconds + 7200 });
    assert.deepEqual(result.explanations, ["The JWT lifetime (2h) differs from the response (1h); the JWT's exp is what servers check."]);
    // A second or two of difference is normal (status timestamp rounding).
    assert.deepEqual(compareIssued({ responseExpirationSeconds: 3600, iat: issuedAtSeconds, exp: issuedAtSeconds + 3601 }).explanations, []);
  });
});
