import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { isHostToPanel, isPanelState, isPanelToHost } from '../../../src/inspector/protocol';

suite('webview protocol guards', () => {
  test('accepts every well-formed page message', () => {
    for (const m of [
      { type: 'ready' }, { type: 'reveal' }, { type: 'verify' }, { type: 'decodeAnother' }, { type: 'copy', format: 'curl' },
      { type: 'check', requestId: 1, check: 'rules', namespace: 'build' }, { type: 'check', requestId: 2, check: 'whoami' },
    ]) {
      assert.ok(isPanelToHost(m), JSON.stringify(m));
    }
  });

  test('refuses malformed page messages', () => {
    for (const m of [
      null, 'ready', [], {}, { type: 'nope' }, { type: 'copy' }, { type: 'copy', format: 'ssh' }, { type: 'check', check: 'whoami' },
      { type: 'check', requestId: 1, check: 'delete' }, { type: 'check', requestId: 1, check: 'rules', namespace: 'Bad NS' },
      { type: 'check', requestId: Number.NaN, check: 'whoami' },
    ]) {
      assert.equal(isPanelToHost(m), false, JSON.stringify(m));
    }
  });

  test('host messages are checked too', () => {
    assert.ok(isHostToPanel({ type: 'revealed', token: 'x' }));
    assert.ok(isHostToPanel({ type: 'verification', verification: { state: 'verified', title: 't', detail: 'd', kid: 'k' } }));
    assert.ok(isHostToPanel({ type: 'checkResult', requestId: 1, result: { check: 'whoami', status: 'ok', summary: 's', details: [['a', 'b']] } }));
    assert.equal(isHostToPanel({ type: 'checkResult', requestId: 1, result: { check: 'whoami', status: 'great', summary: 's', details: [] } }), false);
    assert.equal(isHostToPanel({ type: 'render', view: { key: 'k' } }), false);
    assert.equal(isHostToPanel({ type: 'copied', format: 'token' }), false);
  });

  test('panel state: key required, view optional', () => {
    assert.ok(isPanelState({ key: 'jwt:1' }));
    assert.equal(isPanelState({ storeId: 's' }), false);
    assert.equal(isPanelState({ key: 'k', view: { nope: 1 } }), false);
  });
});
