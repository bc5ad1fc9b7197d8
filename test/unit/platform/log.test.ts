import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { TokenError } from '../../../src/core/errors';
import { Log, type LogSink } from '../../../src/platform/log';
import { podBoundJwt } from '../../fixtures/tokenShapes';

const signature = podBoundJwt.split('.')[2]!;

/** A sink that keeps every argument the log hands the channel, as the channel would write them all. */
function recordingSink(): { sink: LogSink; written: () => string } {
  const calls: unknown[][] = [];
  const record = (...args: unknown[]): void => {
    calls.push(args);
  };
  const sink: LogSink = { info: record, warn: record, error: record, show: () => undefined, dispose: () => undefined };
  const written = (): string =>
    calls.flat().map((a) => (a instanceof Error ? `${a.message} ${a.stack ?? ''} ${String((a as { cause?: unknown }).cause)}` : typeof a === 'string' ? a : JSON.stringify(a))).join('\n');
  return { sink, written };
}

suite('Log: nothing reaches the channel unredacted', () => {
  test('error(): an Error that is not a TokenError, its cause, a plain object and a string are redacted', () => {
    const { sink, written } = recordingSink();
    const log = new Log(sink);
    log.error('Renewal failed', new Error(`the server said: token ${podBoundJwt}`));
    log.error('Store failed', new Error('write failed', { cause: new Error(`while writing ${podBoundJwt}`) }));
    log.error('Request failed', { status: 401, token: podBoundJwt, body: `Bearer ${podBoundJwt}` });
    log.error('Command failed', `Authorization: Bearer ${podBoundJwt}`);
    // A TokenError built around the constructor's redaction (another bundle, or a copied object).
    log.error('Check failed', Object.assign(Object.create(TokenError.prototype) as TokenError, { name: 'TokenError', code: 'ERR_UNAUTHORIZED', message: `rejected ${podBoundJwt}` }));
    const text = written();
    assert.ok(text.includes('Renewal failed') && text.includes('Store failed') && text.includes('write failed'), text);
    assert.ok(!text.includes(signature), `a token reached the channel:\n${text}`);
  });

  test('info() and warn() redact the message', () => {
    const { sink, written } = recordingSink();
    const log = new Log(sink);
    log.info(`Issued ${podBoundJwt}`);
    log.warn(`Server warning for Bearer ${podBoundJwt}`);
    assert.ok(written().includes('Issued'));
    assert.ok(!written().includes(signature), written());
  });
});
