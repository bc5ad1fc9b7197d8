import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { fakeJwt, podBoundClaims } from '../../fixtures/syntheticTokens';
import { failureLine } from '../../harness/layerResult';

suite('failureLine: what the run summary says about a failed test', () => {
  test('names the test and the first line of its error, which is all CI keeps', () => {
    const error = new Error('Timed out after 40000 ms waiting for the "x" row to say /^timed out/ (last seen: "Loading…")\n  at stack');
    assert.equal(failureLine('Suite a test', error), 'Suite a test: Timed out after 40000 ms waiting for the "x" row to say /^timed out/ (last seen: "Loading…")');
  });

  test('skips leading blank lines, cuts a very long reason, and keeps a bare title when there is none', () => {
    assert.equal(failureLine('t', new Error('\n\n  expected 1 to equal 2')), 't: expected 1 to equal 2');
    const long = failureLine('t', new Error('x'.repeat(1000)));
    assert.equal(long.length, 't: '.length + 300);
    assert.ok(long.endsWith('…'));
    assert.equal(failureLine('t', undefined), 't');
    assert.equal(failureLine('t', 'a thrown string'), 't: a thrown string');
  });

  test('redacts a token an assertion printed', () => {
    const jwt = fakeJwt({ alg: 'RS256', kid: 'k1' }, podBoundClaims());
    const line = failureLine('t', new Error(`expected ${jwt} to be verified`));
    assert.ok(!line.includes(jwt.split('.')[1]!), line);
    assert.match(line, /^t: expected .+ to be verified$/);
  });
});
