import * as assert from 'node:assert/strict';
import { suite, teardown, test } from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExpiryFeature } from '../../../src/expiry/expiryFeature';
import { ExpiryTracker } from '../../../src/expiry/expiryTracker';
import { TokenRenewer } from '../../../src/expiry/tokenRenewer';
import { FileRenewalLeases } from '../../../src/platform/renewalLeases';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import { FakeClusterClient, fakeConnectionInfo } from '../../fakes/fakeClusterClient';
import { FakeClusterSession } from '../../fakes/fakeClusterSession';
import { SharedGlobalState } from '../../fakes/fakeMemento';
import { ScriptedPrompter } from '../../fakes/scriptedPrompter';
import { FakeSecretStorage } from '../../fakes/fakeSecretStorage';
import { storeOverFakes, tokenMeta } from '../../fakes/tokenStores';
import { VirtualClock } from '../../fakes/virtualClock';

const minute = 60_000;
const hour = 60 * minute;
const start = Date.UTC(2026, 6, 1, 10, 0, 0);

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 20) {
    assert.ok(waited < 2000, `timed out waiting for ${what}`);
    await settle();
  }
}

/**
 * Windows of one profile, as VS Code runs them: one SecretStorage and one token-ledger folder shared by all,
 * globalState per window, one wall clock, and the same cluster behind the kubeconfig they all read.
 */
function profile() {
  const clock = new VirtualClock(start);
  const secrets = new FakeSecretStorage();
  const globalState = new SharedGlobalState();
  const ledgerDir = makeTempDir('token-ledger');
  const session = new FakeClusterSession('fake');
  const cluster = session.cluster('fake');
  cluster.now = () => clock.now();
  const disposers: (() => void)[] = [];
  const openWindow = () => {
    const { store } = storeOverFakes({ secrets, state: globalState.openWindow(), ledgerDir, now: () => clock.now() });
    const tracker = new ExpiryTracker(store, clock, () => ({}));
    const leases = new FileRenewalLeases({ dir: ledgerDir, now: () => clock.now(), requestTimeoutMs: () => 30_000 });
    const renewer = new TokenRenewer(store, session, () => clock.now(), leases);
    // Answers every message with `replies.answer` (none: a user who looks away).
    const replies: { answer?: string } = {};
    const prompter = new ScriptedPrompter({}, () => replies.answer);
    const logged: string[] = [];
    const log = { info: (m: string) => void logged.push(m), warn: (m: string) => void logged.push(m), error: (m: string) => void logged.push(m) };
    const feature = new ExpiryFeature(store, tracker, renewer, () => prompter, log, { copyToClipboard: async () => {}, requestNewToken: async () => {} });
    disposers.push(() => {
      feature.dispose();
      tracker.dispose();
      store.dispose();
    });
    return { store, tracker, renewer, feature, prompter, replies, logged };
  };
  const close = () => {
    for (const dispose of disposers) {
      dispose();
    }
    removeTempDir(ledgerDir);
  };
  return { clock, secrets, ledgerDir, session, cluster, openWindow, close };
}

const autoRenewing = () => tokenMeta({ issuedAt: start, expiresAt: start + hour, autoRenew: true, request: { namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 3600 } });
const leaseFiles = (ledgerDir: string) => readdirSync(ledgerDir).filter((n) => n.endsWith('.lease'));

suite('expiry: renewal across windows and a context that moved to another cluster', () => {
  let close: (() => void) | undefined;
  const open = () => {
    const p = profile();
    close = p.close;
    return p;
  };
  teardown(() => {
    close?.();
    close = undefined;
  });

  test('two windows auto-renewing the same token at once make one TokenRequest and end with the same token', async () => {
    const p = open();
    const a = p.openWindow();
    const b = p.openWindow();
    const meta = await a.store.add(autoRenewing(), 'token-1');
    await until('window b sees the token', () => b.store.get(meta.id) !== undefined);
    // A slow TokenRequest: the window that lost the lease must not be in flight beside it.
    const release = p.cluster.hold('createToken');
    p.clock.advance(49 * minute); // past 80 % of the hour: both windows' timers fire
    await until('a TokenRequest', () => p.cluster.calls.some((c) => c.method === 'createToken'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(p.cluster.calls.filter((c) => c.method === 'createToken').length, 1, 'one window renews');
    release();
    await until('the renewed token in both windows', async () => b.store.get(meta.id)?.jti !== undefined && a.store.get(meta.id)?.jti !== undefined);
    await settle();
    assert.equal(p.cluster.issued, 1, 'one TokenRequest for two windows');
    assert.equal(p.cluster.calls.filter((c) => c.method === 'createToken').length, 1);
    const [tokenA, tokenB] = [await a.store.getToken(meta.id), await b.store.getToken(meta.id)];
    assert.ok(tokenA !== undefined && tokenA !== 'token-1');
    assert.equal(tokenB, tokenA);
    assert.deepEqual(b.store.get(meta.id), a.store.get(meta.id));
    assert.deepEqual(leaseFiles(p.ledgerDir), [], 'the lease is released');
    // The window that lost the lease does not renew the new token later on its own.
    p.clock.advance(5 * minute);
    await settle();
    assert.equal(p.cluster.issued, 1);
    assert.deepEqual([...a.prompter.messages, ...b.prompter.messages], [], 'silent in both windows');
  });

  test('a window whose auto-renew starts after another window renewed that generation does not mint again', async () => {
    const p = open();
    const a = p.openWindow();
    const b = p.openWindow();
    const meta = await a.store.add(autoRenewing(), 'token-1');
    await until('window b sees the token', () => b.store.get(meta.id) !== undefined);
    const first = await a.renewer.renew(meta.id, { generation: meta });
    assert.equal(first.kind, 'renewed');
    const late = await b.renewer.renew(meta.id, { generation: meta });
    assert.equal(late.kind, 'renewed-elsewhere');
    assert.equal(p.cluster.issued, 1);
  });

  test('an explicit Renew while another window holds the lease says so and does not mint', async () => {
    const p = open();
    const a = p.openWindow();
    const meta = await a.store.add(autoRenewing(), 'token-1');
    writeFileSync(join(p.ledgerDir, `${meta.id}.lease`), JSON.stringify({ owner: 'another-window', deadline: start + minute }));
    const outcome = await a.feature.renewInteractive(meta.id);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.reason, 'busy');
    assert.equal(p.cluster.issued, 0);
    assert.deepEqual(a.prompter.messages.map((m) => [m.severity, m.text]), [['info', 'Another VS Code window is renewing the token for ci-bot (namespace build, context fake) right now; its new token appears here as soon as it is stored.']]);
  });

  test('a context that now points at another server blocks auto-renew: logged, warned once, not retried', async () => {
    const p = open();
    const a = p.openWindow();
    const meta = await a.store.add(autoRenewing(), 'token-1');
    p.session.clients.set('fake', new FakeClusterClient(fakeConnectionInfo('fake', { server: 'https://127.0.0.1:40999' })));
    p.clock.advance(49 * minute);
    await settle();
    assert.equal(p.session.cluster('fake').issued, 0);
    assert.equal(await a.store.getToken(meta.id), 'token-1');
    const reason = 'Context "fake" now points at https://127.0.0.1:40999, but this token was issued by https://127.0.0.1:6443.';
    assert.ok(a.logged.includes(`Auto-renew of the token for ci-bot (namespace build, context fake) stopped: ${reason}`), a.logged.join('\n'));
    assert.equal(a.prompter.messages.length, 1);
    assert.equal(a.prompter.messages[0]!.severity, 'warning');
    assert.ok(a.prompter.messages[0]!.text.includes(reason));
    p.clock.advance(10 * minute); // auto-renew is off for this generation: no retries, no second warning
    await settle();
    assert.equal(p.session.cluster('fake').calls.filter((c) => c.method === 'createToken').length, 0);
    assert.equal(a.prompter.messages.length, 1);
  });

  test('an explicit Renew on a changed context asks in a modal naming both servers; declining mints nothing, accepting records the new server', async () => {
    const p = open();
    const a = p.openWindow();
    const meta = await a.store.add(autoRenewing(), 'token-1');
    p.session.clients.set('fake', new FakeClusterClient(fakeConnectionInfo('fake', { server: 'https://127.0.0.1:40999' })));
    const declined = await a.feature.renewInteractive(meta.id);
    assert.equal(!declined.ok && declined.reason, 'cluster-changed');
    assert.equal(p.session.cluster('fake').issued, 0);
    assert.deepEqual(a.prompter.messages.map((m) => [m.text, m.options.modal]), [[
      'Context "fake" now points at https://127.0.0.1:40999, but this token was issued by https://127.0.0.1:6443. Renew against https://127.0.0.1:40999?', true,
    ]]);
    a.replies.answer = 'Renew Against New Server';
    const accepted = await a.feature.renewInteractive(meta.id);
    assert.equal(accepted.ok, true);
    assert.equal(p.session.cluster('fake').issued, 1);
    assert.equal(a.store.get(meta.id)?.server, 'https://127.0.0.1:40999');
  });

  test('a renewed token from another issuer (a cluster recreated at the same address) is discarded and the old one kept', async () => {
    const p = open();
    const a = p.openWindow();
    const meta = await a.store.add(autoRenewing(), 'token-1');
    assert.equal((await a.feature.renewInteractive(meta.id)).ok, true); // now a JWT from the fake cluster's issuer
    const kept = await a.store.getToken(meta.id);
    p.cluster.issuer = 'https://recreated.example';
    const outcome = await a.feature.renewInteractive(meta.id);
    assert.equal(outcome.ok, false);
    assert.match(outcome.ok ? '' : outcome.message, /issued by https:\/\/recreated\.example, not by https:\/\/kubernetes\.default\.svc .*context "fake" now leads to another cluster/);
    assert.equal(await a.store.getToken(meta.id), kept, 'the old token stays');
    assert.equal(p.cluster.issued, 2);
  });
});
