import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { redact, redactedMarker } from '../../../src/core/redact';
import { fakeJwt, podBoundClaims } from '../../fixtures/syntheticTokens';
import { mustSurvive, tokenShapes } from '../../fixtures/tokenShapes';

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

suite('redact: token shapes corpus', () => {
  for (const shape of tokenShapes) {
    test(shape.name, () => {
      const output = redact(shape.text);
      for (const secret of shape.secrets) {
        assert.ok(!output.includes(secret), `"${secret}" survived in:\n${output}`);
      }
      assert.ok(output.includes(redactedMarker), `no ${redactedMarker} in:\n${output}`);
      for (const context of shape.survives ?? []) {
        assert.ok(output.includes(context), `lost "${context}" in:\n${output}`);
      }
    });
  }

  test('every shape is also redacted inside a JSON string (escaped quotes and line breaks)', () => {
    for (const shape of tokenShapes) {
      const output = redact(JSON.stringify({ log: shape.text }));
      for (const secret of shape.secrets) {
        assert.ok(!output.includes(secret), `${shape.name}: "${secret}" survived in:\n${output}`);
      }
    }
  });

  test('redacting twice changes nothing', () => {
    for (const text of [...tokenShapes.map((shape) => shape.text), ...mustSurvive]) {
      const once = redact(text);
      assert.equal(redact(once), once);
    }
  });

  test('every corpus secret is long enough to be meaningful and occurs in its text', () => {
    for (const shape of tokenShapes) {
      assert.ok(shape.secrets.length > 0, shape.name);
      for (const secret of shape.secrets) {
        assert.ok(shape.text.includes(secret), `${shape.name}: "${secret}"`);
      }
    }
  });
});

suite('redact: adversarial input', () => {
  // Quadratic matching shows as seconds at this size; linear matching takes milliseconds.
  const size = 200_000;
  const inputs: Record<string, string> = {
    'one long base64 run': 'a'.repeat(size),
    'dotted words': 'Ab.'.repeat(size / 3),
    'repeated eyJ': 'eyJ'.repeat(size / 3),
    'backslashes': '\\'.repeat(size),
    'short wrapped lines': 'abcd\n'.repeat(size / 5),
    'escaped wrapped lines': 'abcd\\n'.repeat(size / 6),
    'keys without values': 'token: '.repeat(size / 7),
    'Bearer words': 'Bearer '.repeat(size / 7),
    'URL schemes': 'https://a:b'.repeat(size / 11),
    'unclosed quoted passwords': 'password: "abc '.repeat(size / 15),
  };
  for (const [name, text] of Object.entries(inputs)) {
    test(`${name} is redacted in linear time`, () => {
      const started = Date.now();
      redact(text);
      assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    });
  }
});

suite('redact: ordinary text survives', () => {
  for (const text of mustSurvive) {
    const title = JSON.stringify(text);
    test(title.length > 80 ? `${title.slice(0, 80)}…` : title, () => {
      assert.equal(redact(text), text);
    });
  }
});
