import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { TokenError } from '../../../../src/core/errors';
import { ClusterHealthTracker, describeHealth, healthAfterFailure } from '../../../../src/core/kubernetes/clusterHealth';
import { VirtualClock } from '../../../fakes/virtualClock';

function setup() {
  const clock = new VirtualClock();
  const changes: { context: string; row?: string }[] = [];
  const tracker = new ClusterHealthTracker({ slowAfterMs: 3000, clock, onDidChange: (c) => changes.push(c) });
  return { clock, changes, tracker };
}

/** A request the test settles. */
function pending<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

suite('ClusterHealthTracker', () => {
  test('a request in flight past the threshold marks its row and its context slow until it settles', async () => {
    const { clock, changes, tracker } = setup();
    const request = pending();
    void tracker.track('dev', 'ns:dev/build', request.promise);
    clock.advance(2999);
    assert.equal(tracker.health('dev').state, 'unknown');
    assert.equal(tracker.isSlow('dev', 'ns:dev/build'), false);
    clock.advance(1);
    assert.equal(tracker.health('dev').state, 'slow');
    assert.equal(tracker.isSlow('dev', 'ns:dev/build'), true);
    assert.deepEqual(changes, [{ context: 'dev', row: 'ns:dev/build' }]);
    request.resolve();
    await tick();
    assert.equal(tracker.health('dev').state, 'reachable');
    assert.equal(tracker.isSlow('dev', 'ns:dev/build'), false);
    assert.deepEqual(changes.at(-1), { context: 'dev', row: 'ns:dev/build' });
    assert.equal(clock.pendingTimers, 0);
  });

  test('a fast answer leaves no timer and says reachable', async () => {
    const { clock, changes, tracker } = setup();
    await tracker.track('dev', 'ctx:dev', Promise.resolve([]));
    await tick();
    assert.equal(tracker.health('dev').state, 'reachable');
    assert.deepEqual(changes, [{ context: 'dev' }]);
    assert.equal(clock.pendingTimers, 0);
  });

  test('refused, timed out, 401: the context is unreachable or its credentials rejected, with the error', async () => {
    const { tracker } = setup();
    const refused = new TokenError('ERR_UNREACHABLE', 'Cannot reach the API server at https://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1).', { hint: 'Is the cluster running?' });
    await tracker.track('dev', 'ctx:dev', Promise.reject(refused)).catch(() => undefined);
    await tick();
    assert.deepEqual(tracker.health('dev'), { state: 'unreachable', code: 'ERR_UNREACHABLE', message: refused.message, hint: 'Is the cluster running?' });
    assert.equal(describeHealth(tracker.health('dev')), 'unreachable');

    await tracker.track('dev', 'ctx:dev', Promise.reject(new TokenError('ERR_TIMEOUT', 'did not answer in time'))).catch(() => undefined);
    await tick();
    assert.equal(tracker.health('dev').state, 'unreachable');
    assert.equal(describeHealth(tracker.health('dev')), 'timed out');

    await tracker.track('prod', 'ctx:prod', Promise.reject(new TokenError('ERR_UNAUTHORIZED', 'rejected the credentials (401 Unauthorized)'))).catch(() => undefined);
    await tick();
    assert.equal(tracker.health('prod').state, 'unauthorized');
    assert.equal(describeHealth(tracker.health('prod')), 'credentials rejected');
    assert.equal(tracker.health('dev').state, 'unreachable', 'each context has its own health');
  });

  test('forgetting outcomes (a reloaded kubeconfig) makes a context unknown, and a request from before says nothing after', async () => {
    const { tracker } = setup();
    const refused = new TokenError('ERR_UNREACHABLE', 'Cannot reach the API server at https://127.0.0.1:1.');
    await tracker.track('dev', 'ctx:dev', Promise.reject(refused)).catch(() => undefined);
    await tick();
    const late = pending();
    void tracker.track('dev', 'ctx:dev', late.promise).catch(() => undefined);
    tracker.forgetOutcomes();
    assert.equal(tracker.health('dev').state, 'unknown');
    late.reject(refused);
    await tick();
    assert.equal(tracker.health('dev').state, 'unknown', 'the old server\'s late failure is not the new one\'s');
    await tracker.track('dev', 'ctx:dev', Promise.resolve());
    await tick();
    assert.equal(tracker.health('dev').state, 'reachable');
  });

  test('forbidden is an answer (reachable); a cancelled request says nothing', async () => {
    const { tracker } = setup();
    await tracker.track('dev', 'ctx:dev', Promise.reject(new TokenError('ERR_UNREACHABLE', 'down'))).catch(() => undefined);
    await tick();
    await tracker.track('dev', 'ns:dev/x', Promise.reject(new TokenError('ERR_CANCELLED', 'cancelled'))).catch(() => undefined);
    await tick();
    assert.equal(tracker.health('dev').state, 'unreachable');
    await tracker.track('dev', 'ns:dev/x', Promise.reject(new TokenError('ERR_FORBIDDEN', 'forbidden'))).catch(() => undefined);
    await tick();
    assert.equal(tracker.health('dev').state, 'reachable');
    assert.equal(healthAfterFailure(new TokenError('ERR_SERVER', 'Internal error')), undefined);
    assert.equal(healthAfterFailure(new TokenError('ERR_EXEC_PLUGIN', 'plugin failed')), 'unauthorized');
  });

  test('an outage shown on the context turns slow while a retry waits, then shows the new outcome', async () => {
    const { clock, tracker } = setup();
    await tracker.track('dev', 'ctx:dev', Promise.reject(new TokenError('ERR_TIMEOUT', 'did not answer in time'))).catch(() => undefined);
    await tick();
    const retry = pending();
    void tracker.track('dev', 'ctx:dev', retry.promise).catch(() => undefined);
    clock.advance(3000);
    assert.equal(tracker.health('dev').state, 'slow');
    retry.reject(new TokenError('ERR_TIMEOUT', 'did not answer in time'));
    await tick();
    assert.equal(describeHealth(tracker.health('dev')), 'timed out');
  });
});
