import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { redact, redactedMarker } from '../../../src/core/redact';
import { fakeJwt, podBoundClaims } from '../../fixtures/syntheticTokens';

const jwt = fakeJwt({ alg: 'RS256', kid: 'k1' }, podBoundClaims());

suite('redact', () => {
  test('uses the [REDACTED] marker', () => {
    assert.equal(redactedMarker, '[REDACTED]');
  });

  test('removes a bare JWT anywhere in text', () => {
    assert.equal(redact(`token ${jwt} issued`), 'token [REDACTED] issued');
    assert.equal(redact(`${jwt}\n${jwt}`), '[REDACTED]\n[REDACTED]');
  });

  test('removes an unsigned JWT (empty signature)', () => {
    const unsigned = fakeJwt({ alg: 'none' }, { sub: 'x' }, '');
    assert.equal(redact(`x ${unsigned} y`), 'x [REDACTED] y');
  });

  test('removes Authorization: Bearer values, opaque or JWT', () => {
    assert.equal(redact('Authorization: Bearer abcdefgh12345678'), 'Authorization: Bearer [REDACTED]');
    assert.equal(redact('authorization: bearer abcdefgh12345678'), 'authorization: bearer [REDACTED]');
    assert.equal(redact(`Authorization: Bearer ${jwt}`), 'Authorization: Bearer [REDACTED]');
  });

  test('removes JSON token fields', () => {
    assert.equal(redact('{"status":{"token":"opaque-secret-value","expirationTimestamp":"2026-07-01T11:00:00Z"}}'),
      '{"status":{"token":"[REDACTED]","expirationTimestamp":"2026-07-01T11:00:00Z"}}');
    assert.equal(redact(`{"spec":{"token":"${jwt}"}}`), '{"spec":{"token":"[REDACTED]"}}');
    assert.equal(redact('access_token=abcdefgh12345678&x=1'), 'access_token=[REDACTED]&x=1');
  });

  test('removes kubectl --token values', () => {
    assert.equal(redact('kubectl --token=abcdefgh12345678 get pods'), 'kubectl --token=[REDACTED] get pods');
    assert.equal(redact('kubectl --token abcdefgh12345678 get pods'), 'kubectl --token [REDACTED] get pods');
  });

  test('removes kubeconfig secrets', () => {
    assert.equal(redact('client-key-data: LS0tLS1CRUdJTiBQUklWQVRF'), 'client-key-data: [REDACTED]');
  });

  test('leaves ordinary text alone', () => {
    const text = 'serviceaccounts "ci-bot" not found; token: short; expirationSeconds: 3600; e.g. a.b.c';
    assert.equal(redact(text), text);
    assert.equal(redact('{"token":"","expirationTimestamp":null}'), '{"token":"","expirationTimestamp":null}');
  });
});
