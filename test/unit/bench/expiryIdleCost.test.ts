import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { measureExpiryWakeUps } from '../../bench/expiryIdleCost';
import { ExpiryScheduler } from '../../../src/core/expiry/expiryScheduler';
import type { ExpiryTransition } from '../../../src/core/expiry/expiryScheduler';
import { expiryStatus } from '../../../src/core/expiry/expiryStatus';
import { scheduledToken } from '../../../src/core/expiry/trackedTokens';
import type { TrackedToken } from '../../../src/core/expiry/trackedTokens';
import { VirtualClock } from '../../fakes/virtualClock';

const t0 = Date.UTC(2026, 6, 1, 10, 0, 0);
const minute = 60_000;

function tokens(n: number): TrackedToken[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `t${i}`, context: 'c', namespace: 'n', serviceAccount: `sa-${i}`, audiences: [],
    issuedAt: t0, expiresAt: t0 + (2 * 60 + i * 7) * minute,
  }));
}

suite('expiry scheduling with a virtual clock', () => {
  test('100 tracked tokens: a handful of wake-ups a minute, one timer', () => {
    const cost = measureExpiryWakeUps(tokens(100), t0, 60 * minute);
    assert.equal(cost.tokens, 100);
    assert.equal(cost.maxPendingTimers, 1);
    assert.ok(cost.wakeUps >= 55, `wakes for the minute countdown (${cost.wakeUps})`);
    assert.ok(cost.wakeUpsPerMinute <= 3, `at most a few wake-ups a minute, got ${cost.wakeUpsPerMinute}`);
  });

  test('the status bar text follows the wall clock at each wake, through a sleep/resume jump', () => {
    const clock = new VirtualClock(t0);
    const list = tokens(1);
    const texts: string[] = [];
    const transitions: ExpiryTransition[] = [];
    const scheduler = new ExpiryScheduler({
      clock, maxSleepMs: 5 * minute,
      onWake: (now, tr) => {
        texts.push(expiryStatus(list, now).text);
        transitions.push(...tr);
      },
    });
    scheduler.set(scheduledToken(list[0]));
    clock.advance(minute);
    assert.equal(texts.at(-1), '$(key) sa-0 1h 59m');
    // The machine sleeps for 1h 50m: the wall clock jumps, the pending timer did not run.
    clock.jump(110 * minute);
    scheduler.replan(); // window focus after resume
    assert.equal(texts.at(-1), '$(key) sa-0 9m');
    assert.deepEqual(transitions, [{ id: 't0', event: 'warning' }]);
    clock.advance(9 * minute);
    assert.equal(texts.at(-1), '$(key) sa-0 expired');
    assert.deepEqual(transitions.map((t) => t.event), ['warning', 'expired']);
    assert.equal(scheduler.nextWakeAt, undefined, 'nothing left to wake for');
    scheduler.dispose();
  });

  test('without a replan, the bounded sleep notices a clock jump within five minutes', () => {
    const clock = new VirtualClock(t0);
    let last = '';
    const list = tokens(1).map((t) => ({ ...t, expiresAt: t0 + (2 * 24 * 60 + 30) * minute }));
    const scheduler = new ExpiryScheduler({ clock, maxSleepMs: 5 * minute, onWake: (now) => { last = expiryStatus(list, now).text; } });
    scheduler.set(scheduledToken(list[0]));
    assert.equal(expiryStatus(list, t0).text, '$(key) sa-0 2d 00h');
    assert.ok((scheduler.nextWakeAt ?? 0) - t0 <= 5 * minute, 'the text changes in 30 min, but the sleep is capped');
    clock.jump(24 * 60 * minute); // wall clock steps a day; the pending timer keeps its remaining delay
    clock.advance(5 * minute);
    assert.equal(last, '$(key) sa-0 1d 00h');
    scheduler.dispose();
  });

  test('auto-renew transitions fire once at 80 %, and a retry override fires again later', () => {
    const clock = new VirtualClock(t0);
    const token = { ...tokens(1)[0], expiresAt: t0 + 60 * minute, autoRenew: true };
    const due: number[] = [];
    const scheduler = new ExpiryScheduler({ clock, onWake: (now, tr) => tr.filter((t) => t.event === 'renew-due').forEach(() => due.push(now)) });
    scheduler.set(scheduledToken(token));
    clock.advance(50 * minute);
    assert.deepEqual(due, [t0 + 48 * minute]);
    scheduler.set(scheduledToken(token, {}, t0 + 51 * minute));
    clock.advance(5 * minute);
    assert.deepEqual(due, [t0 + 48 * minute, t0 + 51 * minute]);
    scheduler.dispose();
  });
});
