import type { SchedulerClock } from '../../src/core/expiry/expiryScheduler';

/**
 * A deterministic clock with virtual timers, for tests and the idle-cost benchmark. `advance` runs due timers
 * in time order; `jump` moves the wall clock without firing anything (a sleep/resume or an NTP step).
 */
export class VirtualClock implements SchedulerClock {
  private _now: number;
  private _seq = 0;
  private readonly _timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = 0) {
    this._now = start;
  }

  now(): number {
    return this._now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = ++this._seq;
    this._timers.set(handle, { at: this._now + Math.max(0, ms), callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this._timers.delete(handle as number);
  }

  /** Pending timers (a scheduler should keep at most one). */
  get pendingTimers(): number {
    return this._timers.size;
  }

  /** Moves the clock forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this._now + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this._timers) {
        if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) {
          next = entry;
        }
      }
      if (next === undefined) {
        break;
      }
      this._timers.delete(next[0]);
      this._now = Math.max(this._now, next[1].at);
      next[1].callback();
    }
    this._now = end;
  }

  /** Sets the wall clock (forwards or backwards) without firing timers; timers keep their remaining delay. */
  jump(ms: number): void {
    const delta = ms;
    this._now += delta;
    for (const timer of this._timers.values()) {
      timer.at += delta;
    }
  }
}
