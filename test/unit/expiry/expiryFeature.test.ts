import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { TokenError } from '../../../src/core/errors';
import { ExpiryFeature } from '../../../src/expiry/expiryFeature';
import { ExpiryTracker } from '../../../src/expiry/expiryTracker';
import { TokenRenewer } from '../../../src/expiry/tokenRenewer';
import type { InputAnswer, MessageSeverity, PickAnswer, Prompter } from '../../../src/platform/prompter';
import { FakeClusterSession } from '../../fakes/fakeClusterSession';
import { storeOverFakes, tokenMeta } from '../../fakes/tokenStores';
import { VirtualClock } from '../../fakes/virtualClock';
import { neverCancelled } from '../../fakes/scriptedPrompter';

const minute = 60_000;
const hour = 60 * minute;
const start = Date.UTC(2026, 6, 1, 10, 0, 0);

/** Records every notification; answers none (a user who looks away). */
class RecordingPrompter implements Prompter {
  readonly messages: { severity: MessageSeverity; text: string; actions: readonly string[]; duringProgress: boolean }[] = [];
  readonly statuses: string[] = [];
  /** Progress notifications: their titles, and whether each was still running when a message came. */
  readonly progressShown: { title: string; running: boolean }[] = [];
  async message(severity: MessageSeverity, text: string, _options: unknown, actions: readonly string[]): Promise<string | undefined> {
    this.messages.push({ severity, text, actions, duringProgress: this.progressShown.some((p) => p.running) });
    return undefined;
  }
  status(text: string): void {
    this.statuses.push(text);
  }
  async progress<T>(title: string, task: (token: typeof neverCancelled) => Promise<T>): Promise<T> {
    const shown = { title, running: true };
    this.progressShown.push(shown);
    try {
      return await task(neverCancelled);
    } finally {
      shown.running = false;
    }
  }
  async pick<T>(): Promise<PickAnswer<T>> {
    return { kind: 'cancel' };
  }
  async input(): Promise<InputAnswer> {
    return { kind: 'cancel' };
  }
}

function setup() {
  const clock = new VirtualClock(start);
  const session = new FakeClusterSession('fake');
  const cluster = session.cluster('fake');
  cluster.now = () => clock.now();
  const { store } = storeOverFakes({ now: () => clock.now() });
  const tracker = new ExpiryTracker(store, clock, () => ({}));
  const renewer = new TokenRenewer(store, session, () => clock.now());
  const prompter = new RecordingPrompter();
  const copied: string[] = [];
  const feature = new ExpiryFeature(store, tracker, renewer, () => prompter, { info: () => {}, warn: () => {}, error: () => {} }, {
    copyToClipboard: async (text) => void copied.push(text),
    requestNewToken: async () => {},
  });
  const dispose = () => {
    feature.dispose();
    tracker.dispose();
    store.dispose();
  };
  return { clock, cluster, store, tracker, feature, prompter, copied, dispose };
}

/** Lets promise chains started by timers run (the renewer and the store are async). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

suite('expiry: ExpiryFeature and ExpiryTracker (virtual clock, fake cluster)', () => {
  test('the status bar counts down, and one warning comes before expiry', async () => {
    const { clock, store, tracker, prompter, dispose } = setup();
    try {
      await store.add(tokenMeta({ issuedAt: start, expiresAt: start + hour }), 'token-1');
      assert.equal(tracker.status.text, '$(key) ci-bot 1h 00m');
      clock.advance(30 * minute);
      assert.equal(tracker.status.text, '$(key) ci-bot 30m');
      assert.equal(prompter.messages.length, 0);
      clock.advance(19 * minute); // past the 12-minute (20 %) threshold, which fires on time
      await settle();
      assert.deepEqual(prompter.messages.map((m) => [m.severity, m.text]), [['warning', 'The token for ci-bot (namespace build, context fake) expires in 12m.']]);
      clock.advance(5 * minute);
      await settle();
      assert.equal(prompter.messages.length, 1, 'warned once per token');
      assert.equal(tracker.status.level, 'warning');
    } finally {
      dispose();
    }
  });

  test('auto-renew re-issues at 80 % of the lifetime, once, and keeps the id', async () => {
    const { clock, cluster, store, prompter, dispose } = setup();
    try {
      const meta = await store.add(tokenMeta({ issuedAt: start, expiresAt: start + hour, autoRenew: true, request: { namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 3600 } }), 'token-1');
      clock.advance(47 * minute);
      await settle();
      assert.equal(cluster.issued, 0);
      clock.advance(2 * minute); // 80 % of an hour is 48 minutes
      await settle();
      assert.equal(cluster.issued, 1);
      const renewed = store.get(meta.id);
      assert.equal(renewed?.jti, 'jti-1');
      assert.equal(renewed?.expiresAt, Math.floor((start + 49 * minute) / 1000) * 1000 + hour);
      assert.notEqual(await store.getToken(meta.id), 'token-1');
      assert.equal(prompter.messages.length, 0, 'a successful auto-renew is silent');
    } finally {
      dispose();
    }
  });

  test('a failed auto-renew warns once and retries; a permanent failure stops it', async () => {
    const { clock, cluster, store, prompter, dispose } = setup();
    try {
      await store.add(tokenMeta({ issuedAt: start, expiresAt: start + hour, autoRenew: true }), 'token-1');
      cluster.failNext('createToken', new TokenError('ERR_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:6443'));
      cluster.failNext('createToken', new TokenError('ERR_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:6443'));
      clock.advance(49 * minute);
      await settle();
      assert.equal(prompter.messages.length, 1);
      assert.match(prompter.messages[0]!.text, /^Auto-renew of the token for ci-bot .* failed: connect ECONNREFUSED 127\.0\.0\.1:6443 Retrying in \d+s\.$/);
      assert.deepEqual(prompter.messages[0]!.actions, ['Renew Now', 'Turn Off Auto-Renew']);
      clock.advance(2 * minute); // the retry fails too: no second pop-up
      await settle();
      assert.equal(prompter.messages.length, 1);
      clock.advance(5 * minute); // the next retry succeeds
      await settle();
      assert.equal(cluster.calls.filter((c) => c.method === 'createToken').length, 3);
      assert.equal(cluster.issued, 1);
    } finally {
      dispose();
    }
  });

  test('a user renewal runs under a progress notification and ends in a message once it closes: renewed, or failed with Retry', async () => {
    const { cluster, store, feature, prompter, dispose } = setup();
    try {
      const meta = await store.add(tokenMeta({ issuedAt: start, expiresAt: start + hour }), 'token-1');
      const renewed = await feature.renewInteractive(meta.id);
      assert.equal(renewed.ok, true);
      cluster.failNext('createToken', new TokenError('ERR_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:6443'));
      const failed = await feature.renewInteractive(meta.id);
      assert.equal(failed.ok, false);
      await settle();
      const title = 'Renewing the token for ci-bot (namespace build, context fake)…';
      assert.deepEqual(prompter.progressShown, [{ title, running: false }, { title, running: false }]);
      assert.deepEqual(prompter.messages.map((m) => [m.severity, m.text.replace(/expires in .*$/, 'expires in …'), m.actions, m.duringProgress]), [
        ['info', 'Renewed the token for ci-bot. The new token expires in …', [], false],
        ['error', 'Could not renew the token for ci-bot (namespace build, context fake): connect ECONNREFUSED 127.0.0.1:6443', ['Retry'], false],
      ]);
    } finally {
      dispose();
    }
  });

  test('a forbidden renewal is not retried', async () => {
    const { clock, cluster, store, prompter, dispose } = setup();
    try {
      await store.add(tokenMeta({ issuedAt: start, expiresAt: start + hour, autoRenew: true }), 'token-1');
      cluster.failNext('createToken', new TokenError('ERR_FORBIDDEN', 'serviceaccounts "ci-bot" is forbidden: cannot create resource "serviceaccounts/token"'));
      clock.advance(49 * minute);
      await settle();
      clock.advance(10 * minute);
      await settle();
      assert.equal(cluster.calls.filter((c) => c.method === 'createToken').length, 1);
      assert.match(prompter.messages[0]!.text, /will not be retried/);
    } finally {
      dispose();
    }
  });
});
