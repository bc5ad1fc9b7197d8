import type { SchedulerClock } from '../../src/core/expiry/expiryScheduler';

/** A simulated clock: timers fire only when `advanceTo` passes them, in time order. Counts fired callbacks. */
export class FakeClock implements SchedulerClock {
  private _now: number;
  private _nextId = 1;
  private readonly _timers = new Map<number, { at: number; callback: () => void }>();
  fired = 0;

  constructor(start: number) {
    this._now = start;
  }

  now(): number {
    return this._now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this._nextId++;
    this._timers.set(id, { at: this._now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this._timers.delete(handle as number);
  }

  /** Runs every timer due up to `time` (including ones scheduled by callbacks), then sets the clock there. */
  advanceTo(time: number): void {
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const [id, t] of this._timers) {
        if (t.at < nextAt || (t.at === nextAt && id < (nextId ?? Infinity))) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId === undefined || nextAt > time) {
        break;
      }
      const timer = this._timers.get(nextId)!;
      this._timers.delete(nextId);
      this._now = nextAt;
      this.fired++;
      timer.callback();
    }
    this._now = time;
  }
}
