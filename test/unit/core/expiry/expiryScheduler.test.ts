import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { ExpiryScheduler } from '../../../../src/core/expiry/expiryScheduler';
import type { ExpiryTransition, SchedulerClock } from '../../../../src/core/expiry/expiryScheduler';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const start = Date.UTC(2026, 6, 1, 10, 0, 0);

/**
 * A fake clock with separate wall time (what `now()` returns) and timer time (monotonic, like Node's
 * timers), so tests can model sleep (timers paused while the wall clock moves) and clock changes.
 */
class FakeClock implements SchedulerClock {
  wall = start;
  private _mono = 0;
  private _nextId = 1;
  readonly timers = new Map<number, { due: number; callback: () => void }>();

  now(): number {
    return this.wall;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this._nextId++;
    this.timers.set(id, { due: this._mono + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Lets `ms` pass on both clocks, firing timers at their due moments. */
  advance(ms: number): void {
    const end = this._mono + ms;
    for (;;) {
      const next = [...this.timers.entries()].sort((a, b) => a[1].due - b[1].due)[0];
      if (next === undefined || next[1].due > end) {
        break;
      }
      this.wall += next[1].due - this._mono;
      this._mono = next[1].due;
      this.timers.delete(next[0]);
      next[1].callback();
    }
    this.wall += end - this._mono;
    this._mono = end;
  }

  /** Moves only the wall clock (sleep with paused timers, NTP step, manual change). */
  jumpWall(ms: number): void {
    this.wall += ms;
  }
}

function setup(options: { maxSleepMs?: number; clockSkewMs?: () => number } = {}) {
  const clock = new FakeClock();
  const wakes: Array<{ now: number; transitions: readonly ExpiryTransition[] }> = [];
  const scheduler = new ExpiryScheduler({ clock, onWake: (now, transitions) => wakes.push({ now, transitions }), ...options });
  return { clock, scheduler, wakes };
}

suite('ExpiryScheduler', () => {
  test('idle with no tokens: no timer', () => {
    const { clock, scheduler } = setup();
    assert.equal(clock.timers.size, 0);
    assert.equal(scheduler.nextWakeAt, undefined);
  });

  test('sleeps until the next minute boundary of the countdown', () => {
    const { clock, scheduler, wakes } = setup();
    scheduler.set({ id: 'a', expMs: start + 30 * m + 20 * s, thresholdMs: 10 * m });
    assert.equal(clock.timers.size, 1);
    assert.equal(scheduler.nextWakeAt, start + 20 * s + 1);
    clock.advance(20 * s);
    assert.equal(wakes.length, 0);
    clock.advance(1);
    assert.equal(wakes.length, 1);
    assert.equal(wakes[0]!.now, start + 20 * s + 1);
    assert.equal(scheduler.wakeUps, 1);
  });

  test('keeps exactly one timer across add, update and remove', () => {
    const { clock, scheduler } = setup();
    scheduler.set({ id: 'a', expMs: start + 5 * h, thresholdMs: 10 * m });
    scheduler.set({ id: 'b', expMs: start + 40 * s, thresholdMs: 10 * m });
    assert.equal(clock.timers.size, 1);
    assert.equal(scheduler.nextWakeAt, start + s); // b shows "40s": next change in 1 s
    scheduler.set({ id: 'b', expMs: start + 2 * h + 30 * s, thresholdMs: 10 * m });
    assert.equal(clock.timers.size, 1);
    assert.equal(scheduler.nextWakeAt, start + 30 * s + 1);
    scheduler.remove('b');
    scheduler.remove('missing');
    assert.equal(clock.timers.size, 1);
    scheduler.clear();
    assert.equal(clock.timers.size, 0);
  });

  test('reports warning, renew-due and expired transitions once each', () => {
    const { clock, scheduler, wakes } = setup();
    scheduler.set({ id: 'a', expMs: start + h, thresholdMs: 12 * m, renewAtMs: start + 48 * m });
    clock.advance(2 * h);
    const transitions = wakes.flatMap((w) => w.transitions.map((t) => `${t.id}:${t.event}@${(w.now - start) / m}m`));
    assert.deepEqual(transitions, ['a:warning@48m', 'a:renew-due@48m', 'a:expired@60m']);
    assert.equal(clock.timers.size, 0, 'nothing left to wake for');
  });

  test('a token added already in warning does not report a transition', () => {
    const { clock, scheduler, wakes } = setup();
    scheduler.set({ id: 'a', expMs: start + 5 * m, thresholdMs: 10 * m });
    clock.advance(4 * m);
    assert.deepEqual(wakes.flatMap((w) => w.transitions), []);
    clock.advance(m);
    assert.deepEqual(wakes.flatMap((w) => w.transitions), [{ id: 'a', event: 'expired' }]);
  });

  test('seconds cadence only in the last minute', () => {
    const { clock, scheduler } = setup();
    scheduler.set({ id: 'a', expMs: start + 10 * m, thresholdMs: 0 });
    clock.advance(9 * m);
    const beforeLastMinute = scheduler.wakeUps;
    assert.equal(beforeLastMinute, 9);
    clock.advance(m);
    assert.equal(scheduler.wakeUps - beforeLastMinute, 60); // 59s, 58s, … 1s (59 texts), then expired
  });

  test('idle cost: 100 tokens hours away wake at most once a minute', () => {
    const { clock, scheduler } = setup();
    for (let i = 0; i < 100; i++) {
      scheduler.set({ id: `t${i}`, expMs: start + 3 * h + i * 17 * m + i * 7 * s, thresholdMs: 10 * m });
    }
    assert.equal(clock.timers.size, 1);
    clock.advance(60 * m);
    assert.ok(scheduler.wakeUps <= 61, `${scheduler.wakeUps} wake-ups in an hour`);
    assert.ok(scheduler.wakeUps >= 59, 'the countdown must still move every minute');
  });

  test('sleep/resume: a late timer recomputes from the wall clock and reports the expiry', () => {
    const { clock, scheduler, wakes } = setup({ maxSleepMs: 5 * m });
    scheduler.set({ id: 'a', expMs: start + 2 * h, thresholdMs: 10 * m });
    clock.jumpWall(3 * h); // machine slept 3 h; timers were paused
    clock.advance(scheduler.nextWakeAt! - start);
    assert.equal(wakes.length, 1);
    assert.deepEqual(wakes[0]!.transitions, [{ id: 'a', event: 'expired' }]);
    assert.equal(clock.timers.size, 0);
  });

  test('maxSleepMs bounds every sleep so a resume is noticed', () => {
    const { scheduler } = setup({ maxSleepMs: 5 * m });
    scheduler.set({ id: 'a', expMs: start + 10 * 24 * h + 30 * m, thresholdMs: 10 * m });
    assert.equal(scheduler.nextWakeAt, start + 5 * m); // the day display would change in 30 min

  });

  test('replan() after resume reacts immediately', () => {
    const { clock, scheduler, wakes } = setup();
    scheduler.set({ id: 'a', expMs: start + 30 * m, thresholdMs: 10 * m });
    clock.jumpWall(25 * m);
    scheduler.replan();
    assert.deepEqual(wakes.map((w) => w.transitions), [[{ id: 'a', event: 'warning' }]]);
    assert.equal(scheduler.wakeUps, 0, 'replan is not a timer wake-up');
    // Exactly 5m left shows "5m"; it becomes "4m" one millisecond later.
    assert.equal(scheduler.nextWakeAt, clock.now() + 1);
  });

  test('clock moved backwards: the early wake changes nothing and re-plans', () => {
    const { clock, scheduler, wakes } = setup();
    scheduler.set({ id: 'a', expMs: start + 30 * m + 30 * s, thresholdMs: 10 * m });
    clock.jumpWall(-h);
    clock.advance(30 * s + 1);
    assert.equal(wakes.length, 1);
    assert.deepEqual(wakes[0]!.transitions, []);
    // Now 1h29m59.999s left on the wall clock ("1h 29m"): it becomes "1h 28m" a minute later.
    assert.equal(scheduler.nextWakeAt, clock.now() + m);
  });

  test('skew is applied to every plan', () => {
    let skew = 0;
    const { scheduler } = setup({ clockSkewMs: () => skew });
    skew = -2 * m; // server 2 minutes ahead
    scheduler.set({ id: 'a', expMs: start + 12 * m + 30 * s, thresholdMs: 10 * m });
    assert.equal(scheduler.nextWakeAt, start + 30 * s);
  });

  test('dispose cancels the timer and ignores later calls', () => {
    const { clock, scheduler, wakes } = setup();
    scheduler.set({ id: 'a', expMs: start + h, thresholdMs: 10 * m });
    scheduler.dispose();
    assert.equal(clock.timers.size, 0);
    scheduler.replan();
    scheduler.set({ id: 'b', expMs: start + h, thresholdMs: 10 * m });
    clock.advance(2 * h);
    assert.equal(wakes.length, 0);
    assert.equal(clock.timers.size, 0);
  });
});
