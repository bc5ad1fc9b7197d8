import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { TokenError } from '../../../src/core/errors';
import { describeError, formatLogLine } from '../../../src/core/logLine';
import { redactedMarker } from '../../../src/core/redact';
import { podBoundJwt, tokenShapes } from '../../fixtures/tokenShapes';

const opaque = 'Zq8xV3nT0pLmW7rBc2Yd';
const signature = podBoundJwt.split('.')[2]!;

function assertClean(line: string): void {
  for (const secret of [signature, opaque]) {
    assert.ok(!line.includes(secret), `"${secret}" in: ${line}`);
  }
}

suite('formatLogLine', () => {
  test('keeps the format: the message alone, or "message: error"', () => {
    assert.equal(formatLogLine('Forgot all 3 stored tokens.'), 'Forgot all 3 stored tokens.');
    assert.equal(formatLogLine('Command failed', new Error('socket hang up')), 'Command failed: socket hang up');
    assert.equal(formatLogLine('Command failed', 'plain text'), 'Command failed: plain text');
    assert.equal(formatLogLine('Command failed', undefined), 'Command failed');
    assert.equal(formatLogLine('Command failed', null), 'Command failed: null');
    assert.equal(formatLogLine('Command failed', 42), 'Command failed: 42');
  });

  test('redacts the message (info and warn lines)', () => {
    assert.equal(formatLogLine(`Server warning: token ${podBoundJwt}`), `Server warning: token ${redactedMarker}`);
    assert.equal(formatLogLine(`curl -H 'Authorization: Bearer ${opaque}'`), `curl -H 'Authorization: Bearer ${redactedMarker}'`);
  });

  test('redacts a plain Error', () => {
    const line = formatLogLine('Renewing failed', new Error(`rejected ${podBoundJwt}`));
    assert.equal(line, `Renewing failed: rejected ${redactedMarker}`);
  });

  test('redacts a TokenError, even one that bypassed the constructor (another bundle, duck-typed)', () => {
    const e = new TokenError('ERR_UNAUTHORIZED', `rejected ${podBoundJwt}`);
    assert.equal(formatLogLine('Request failed', e), `Request failed: rejected ${redactedMarker}`);
    const lookAlike = { name: 'TokenError', code: 'ERR_FORBIDDEN', message: `denied for Bearer ${opaque}` };
    assert.equal(formatLogLine('Request failed', lookAlike), `Request failed: denied for Bearer ${redactedMarker}`);
  });

  test('writes nested causes, each redacted', () => {
    const root = Object.assign(new Error(`upstream said {"token":"${opaque}"}`), { code: 'ECONNRESET' });
    const middle = new Error(`proxy failed with Authorization: Bearer ${podBoundJwt}`, { cause: root });
    const top = new Error('Request Token failed', { cause: middle });
    const line = formatLogLine('Command failed', top);
    assertClean(line);
    assert.equal(line, `Command failed: Request Token failed (cause: proxy failed with Authorization: Bearer ${redactedMarker}) (cause: upstream said {"token":"${redactedMarker}"})`);
  });

  test('a cause that is a string or an object, and a cause loop', () => {
    assert.equal(formatLogLine('x', new Error('a', { cause: `token=${opaque}` })), `x: a (cause: token=${redactedMarker})`);
    assert.equal(formatLogLine('x', new Error('a', { cause: { token: opaque } })), `x: a (cause: {"token":"${redactedMarker}"})`);
    const loop = new Error('loop');
    (loop as { cause?: unknown }).cause = loop;
    assert.equal(formatLogLine('x', loop), 'x: loop');
  });

  test('redacts objects holding a token, whatever the key or depth', () => {
    const response = {
      status: 201,
      headers: { Authorization: `Bearer ${opaque}`, 'x-remote-token': 'abc' },
      body: { kind: 'TokenRequest', status: { token: podBoundJwt, expirationTimestamp: '2026-07-01T11:00:00Z' } },
      user: { password: 'pw', 'client-key-data': 'LS0t' },
    };
    const line = formatLogLine('Unexpected answer', response);
    assertClean(line);
    assert.ok(!line.includes('"pw"') && !line.includes('LS0t') && !line.includes('"abc"'), line);
    assert.ok(line.includes('"expirationTimestamp":"2026-07-01T11:00:00Z"'), 'the rest is kept');
  });

  test('a cyclic or unserialisable object does not throw', () => {
    const cyclic: Record<string, unknown> = { token: opaque };
    cyclic.self = cyclic;
    assert.equal(formatLogLine('x', cyclic), `x: {"token":"${redactedMarker}","self":"[Circular]"}`);
    assertClean(formatLogLine('x', { token: opaque, big: 1n }));
  });

  test('a secret split between the message and the error is still redacted', () => {
    assert.equal(formatLogLine('sent token', opaque), `sent token: ${redactedMarker}`);
  });

  test('every corpus shape is redacted, as message, Error, string or cause', () => {
    for (const shape of tokenShapes) {
      const lines = [
        formatLogLine(shape.text),
        formatLogLine('failed', new Error(shape.text)),
        formatLogLine('failed', shape.text),
        formatLogLine('failed', new Error('outer', { cause: new Error(shape.text) })),
        formatLogLine('failed', { detail: shape.text }),
      ];
      for (const line of lines) {
        for (const secret of shape.secrets) {
          assert.ok(!line.includes(secret), `${shape.name}: "${secret}" in:\n${line}`);
        }
      }
    }
  });
});

suite('describeError', () => {
  test('one redacted line: message, name of a message-less Error, text, JSON', () => {
    assert.equal(describeError(new Error(`bad ${podBoundJwt}`)), `bad ${redactedMarker}`);
    assert.equal(describeError(new TypeError('')), 'TypeError');
    assert.equal(describeError(`Bearer ${opaque}`), `Bearer ${redactedMarker}`);
    assert.equal(describeError({ token: opaque }), `{"token":"${redactedMarker}"}`);
    assert.equal(describeError(undefined), 'undefined');
  });

  test('leaves the cause out (it is for the log, not for messages)', () => {
    assert.equal(describeError(new Error('outer', { cause: new Error('inner') })), 'outer');
  });
});
