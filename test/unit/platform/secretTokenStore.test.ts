import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, teardown, test } from 'mocha';
import { secretKeys, stateKeys } from '../../../src/constants';
import type { SecretTokenStore } from '../../../src/platform/secretTokenStore';
import { TokenLedger } from '../../../src/platform/tokenLedger';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import { FakeMemento, SharedGlobalState } from '../../fakes/fakeMemento';
import { FakeSecretStorage, ListingFakeSecretStorage } from '../../fakes/fakeSecretStorage';
import { type FakeStoreOptions, storeOverFakes, tokenMeta } from '../../fakes/tokenStores';

/** Lets event handlers and timers that follow a write run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Polls until `condition` holds, for at most a second. */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    assert.ok(waited < 1000, `timed out waiting for ${what}`);
    await settle();
  }
}

const tokenKeys = (secrets: FakeSecretStorage) => secrets.storedKeys().filter((k) => k.startsWith(secretKeys.tokenPrefix));
const ids = (store: SecretTokenStore) => store.list().map((m) => m.id).sort();

/**
 * Windows of one VS Code profile: one SecretStorage (every window reads it fresh and hears every change),
 * one ledger folder, and globalState that reaches the other windows only when it propagates.
 */
function profile(secrets: FakeSecretStorage = new FakeSecretStorage()) {
  const globalState = new SharedGlobalState();
  const ledgerDir = makeTempDir('token-ledger');
  const opened: SecretTokenStore[] = [];
  const openWindow = (options: Omit<FakeStoreOptions, 'secrets' | 'state' | 'ledgerDir'> = {}) => {
    const { store, errors } = storeOverFakes({ ...options, secrets, state: globalState.openWindow(), ledgerDir });
    opened.push(store);
    return Object.assign(store, { errors });
  };
  /** Everything settles: globalState reaches every window, handlers and start-up work run. */
  const propagate = async () => {
    await Promise.all(opened.map((s) => s.ready));
    globalState.propagate();
    await settle();
  };
  const close = () => {
    for (const store of opened) {
      store.dispose();
    }
    removeTempDir(ledgerDir);
  };
  return { secrets, globalState, ledgerDir, openWindow, propagate, close };
}

suite('platform: SecretTokenStore across windows, reloads and the session-only setting', () => {
  let closeProfile: (() => void) | undefined;
  const open = (secrets?: FakeSecretStorage) => {
    const p = profile(secrets);
    closeProfile = p.close;
    return p;
  };
  teardown(() => {
    closeProfile?.();
    closeProfile = undefined;
  });

  test('two windows adding at once: both tokens stay, in every window and after a reload; no token in the ledger', async () => {
    const p = open();
    const a = p.openWindow();
    const b = p.openWindow();
    const [fromA, fromB] = await Promise.all([a.add(tokenMeta({ audiences: ['a'] }), 'token-a'), b.add(tokenMeta({ audiences: ['b'] }), 'token-b')]);
    await p.propagate();
    const both = [fromA.id, fromB.id].sort();
    assert.deepEqual(ids(a), both);
    assert.deepEqual(ids(b), both);
    const reloaded = p.openWindow();
    await p.propagate();
    assert.deepEqual(ids(reloaded), both);
    assert.equal(await reloaded.getToken(fromA.id), 'token-a');
    assert.equal(await reloaded.getToken(fromB.id), 'token-b');
    for (const name of readdirSync(p.ledgerDir)) {
      const content = readFileSync(join(p.ledgerDir, name), 'utf8');
      assert.ok(!content.includes('token-a') && !content.includes('token-b'), `a token in the ledger file ${name}`);
    }
    assert.ok(!p.globalState.json().includes('token-a') && !p.globalState.json().includes('token-b'));
  });

  test('Forget All in one window deletes the secret of a token the other window added at the same moment', async () => {
    const p = open();
    const a = p.openWindow();
    const b = p.openWindow();
    await Promise.all([a.add(tokenMeta(), 'token-a'), b.add(tokenMeta(), 'token-b')]);
    await p.propagate();
    await a.forgetAll();
    await p.propagate();
    assert.deepEqual(tokenKeys(p.secrets), []);
    assert.deepEqual(ids(a), []);
    assert.deepEqual(ids(b), []);
  });

  for (const first of ['forget', 'renewal'] as const) {
    test(`a token forgotten in one window while another renews it (${first} first) stays forgotten, its secret deleted`, async () => {
      const p = open();
      const a = p.openWindow();
      const b = p.openWindow();
      const { id } = await a.add(tokenMeta(), 'token-1');
      await p.propagate();
      await until('the other window to list the token', () => b.get(id) !== undefined);
      const forget = () => a.forget(id);
      const renew = () => b.replace(id, tokenMeta({ audiences: ['renewed'] }), 'token-2');
      const outcomes = await Promise.allSettled(first === 'forget' ? [forget(), renew()] : [renew(), forget()]);
      await p.propagate();
      assert.deepEqual(tokenKeys(p.secrets), []);
      assert.equal(outcomes.filter((o) => o.status === 'rejected').length, 1, 'the renewal reports that the token is gone');
      assert.deepEqual(ids(a), []);
      assert.deepEqual(ids(b), []);
      assert.deepEqual(ids(p.openWindow()), []);
    });
  }

  test('turning auto-renew on in one window reaches the other window', async () => {
    const p = open();
    const a = p.openWindow();
    const b = p.openWindow();
    const { id } = await a.add(tokenMeta(), 'token-1');
    await p.propagate();
    await a.update(id, { autoRenew: true });
    await p.propagate();
    assert.equal(b.get(id)?.autoRenew, true);
    assert.equal(p.openWindow().get(id)?.autoRenew, true);
  });

  test('tokens in the single globalState index of earlier versions migrate without loss, and the index is cleared', async () => {
    const secrets = new FakeSecretStorage();
    const legacyState = new FakeMemento();
    const first = { ...tokenMeta({ audiences: ['one'] }), id: '11111111-1111-4111-8111-111111111111' };
    const second = { ...tokenMeta({ audiences: ['two'], autoRenew: true }), id: '22222222-2222-4222-8222-222222222222' };
    // Its secret is gone: nothing to migrate.
    const gone = { ...tokenMeta({ audiences: ['gone'] }), id: '33333333-3333-4333-8333-333333333333' };
    await legacyState.update(stateKeys.tokenIndex, { version: 1, tokens: [first, second, gone] });
    await secrets.store(secretKeys.tokenPrefix + first.id, 'token-one');
    await secrets.store(secretKeys.tokenPrefix + second.id, 'token-two');
    const ledgerDir = makeTempDir('token-ledger');
    const migrating = storeOverFakes({ secrets, state: legacyState, ledgerDir });
    const later = () => storeOverFakes({ secrets, state: new FakeMemento(), ledgerDir });
    let reopened: ReturnType<typeof later> | undefined;
    try {
      assert.deepEqual(migrating.store.list().map((m) => m.id).sort(), [first.id, second.id, gone.id], 'listed at once, before the migration ends');
      await migrating.store.ready;
      assert.equal(legacyState.get(stateKeys.tokenIndex), undefined);
      // Nothing left in globalState: a store over an empty one finds every token that has a secret.
      reopened = later();
      await reopened.store.ready;
      assert.deepEqual(reopened.store.get(first.id), first);
      assert.deepEqual(reopened.store.list().map((m) => m.id).sort(), [first.id, second.id]);
      assert.equal(reopened.store.get(second.id)?.autoRenew, true);
      assert.equal(await reopened.store.getToken(first.id), 'token-one');
      assert.equal(await reopened.store.getToken(second.id), 'token-two');
    } finally {
      migrating.store.dispose();
      reopened?.store.dispose();
      removeTempDir(ledgerDir);
    }
  });

  test('start-up sweep: where SecretStorage lists its keys, a token secret no entry names is deleted', async () => {
    const p = open(new ListingFakeSecretStorage());
    const a = p.openWindow();
    const { id } = await a.add(tokenMeta(), 'kept');
    await p.secrets.store(`${secretKeys.tokenPrefix}lost-by-an-earlier-version`, 'orphan');
    await p.secrets.store('saTokens.someOtherFeature/x', 'not a token of the store');
    const restarted = p.openWindow();
    await p.propagate();
    assert.deepEqual(tokenKeys(p.secrets), [secretKeys.tokenPrefix + id]);
    assert.ok(p.secrets.storedKeys().includes('saTokens.someOtherFeature/x'));
    assert.equal(await restarted.getToken(id), 'kept');
  });

  test('start-up sweep finishes a forget that a window stopped in the middle of', async () => {
    const p = open();
    const a = p.openWindow();
    const { id: halfForgotten } = await a.add(tokenMeta(), 'token-1');
    const { id: kept } = await a.add(tokenMeta(), 'token-2');
    // The window stopped right after marking the token forgotten: its secret and entry are still there.
    const ledger = new TokenLedger(p.ledgerDir);
    ledger.markForgotten(halfForgotten, Date.now());
    const restarted = p.openWindow();
    await p.propagate();
    assert.deepEqual(tokenKeys(p.secrets), [secretKeys.tokenPrefix + kept]);
    assert.deepEqual(ids(restarted), [kept]);
    assert.equal(ledger.entry(halfForgotten), undefined);
  });

  test('a window that starts with session-only on moves stored tokens to memory and deletes them from SecretStorage', async () => {
    const p = open();
    const before = p.openWindow();
    const { id } = await before.add(tokenMeta(), 'token-1');
    before.dispose();
    const sessionOnly = p.openWindow({ sessionOnly: true });
    await p.propagate();
    assert.deepEqual(tokenKeys(p.secrets), []);
    assert.deepEqual(ids(sessionOnly), [id]);
    assert.equal(await sessionOnly.getToken(id), 'token-1');
    assert.deepEqual(ids(p.openWindow()), []);
  });

  test('a renewal while session-only is on keeps the new token in memory, not in SecretStorage', async () => {
    const p = open();
    let sessionOnly = false;
    const store = p.openWindow({ sessionOnly: () => sessionOnly });
    const { id } = await store.add(tokenMeta(), 'token-1');
    assert.deepEqual(tokenKeys(p.secrets), [secretKeys.tokenPrefix + id]);
    // Turned on where this window's settings listener has not run (Settings Sync, another window).
    sessionOnly = true;
    await store.replace(id, tokenMeta({ audiences: ['renewed'] }), 'token-2');
    assert.deepEqual(tokenKeys(p.secrets), []);
    assert.equal(await store.getToken(id), 'token-2');
    assert.deepEqual(store.get(id)?.audiences, ['renewed']);
    assert.deepEqual(ids(p.openWindow()), []);
  });

  test('with session-only on, a token another window stores (one that has not seen the setting yet) moves to memory', async () => {
    const p = open();
    const sessionOnly = p.openWindow({ sessionOnly: true });
    const stale = p.openWindow();
    const { id } = await stale.add(tokenMeta(), 'token-1');
    await p.propagate();
    assert.deepEqual(tokenKeys(p.secrets), []);
    assert.equal(await sessionOnly.getToken(id), 'token-1');
  });
});
