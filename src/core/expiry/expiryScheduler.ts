import { expiryLevel, nextWakeUp, timeLeft } from './expiry';
import type { ExpiryLevel } from './expiry';

/** The clock and timers the scheduler runs on; inject fakes in tests. */
export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A tracked token as the scheduler needs it (ms since epoch, server clock). */
export interface ScheduledToken {
  readonly id: string;
  readonly expMs: number;
  readonly thresholdMs: number;
  readonly renewAtMs?: number;
}

/** A change the consumer should act on (notify once, renew, recolour). */
export interface ExpiryTransition {
  readonly id: string;
  readonly event: 'warning' | 'expired' | 'renew-due';
}

/** Scheduler construction options. */
export interface ExpirySchedulerOptions {
  readonly clock: SchedulerClock;
  /** Called on every wake-up with the current time and the transitions since the last wake-up. */
  readonly onWake: (now: number, transitions: readonly ExpiryTransition[]) => void;
  /** The clock skew (local minus server, see `ClockSkewMs`), read on every plan (it may be re-estimated). */
  readonly clockSkewMs?: () => number;
  /**
   * Longest single sleep. Timers run on a monotonic clock that may pause while the machine sleeps, so a
   * bounded sleep guarantees a re-check soon after resume even if nobody calls {@link ExpiryScheduler.replan}.
   */
  readonly maxSleepMs?: number;
}

/** setTimeout's delay is a signed 32-bit integer. */
const maxTimerDelay = 2 ** 31 - 1;

/**
 * One timer for all tracked tokens. It sleeps until the next meaningful change (a countdown minute,
 * a threshold, an expiry, a renewal), re-plans on add/remove, and recomputes from the wall clock on every
 * wake so late timers (sleep/resume) and backwards clock jumps are harmless. Counts wake-ups for benchmarks.
 */
export class ExpiryScheduler {
  private readonly _tokens = new Map<string, ScheduledToken>();
  private readonly _levels = new Map<string, { level: ExpiryLevel; renewDue: boolean }>();
  private _timer: unknown;
  private _timerAt: number | undefined;
  private _wakeUps = 0;
  private _disposed = false;

  constructor(private readonly _options: ExpirySchedulerOptions) {}

  /** Timer callbacks that ran so far. */
  get wakeUps(): number {
    return this._wakeUps;
  }

  /** The local time the timer is set for, or undefined when idle. */
  get nextWakeAt(): number | undefined {
    return this._timerAt;
  }

  /** Starts tracking (or updates) a token and re-plans. */
  set(token: ScheduledToken): void {
    this._tokens.set(token.id, token);
    this._levels.set(token.id, this._stateOf(token, this._options.clock.now()));
    this._plan();
  }

  /** Stops tracking a token and re-plans. */
  remove(id: string): void {
    this._tokens.delete(id);
    this._levels.delete(id);
    this._plan();
  }

  /** Stops tracking everything. */
  clear(): void {
    this._tokens.clear();
    this._levels.clear();
    this._plan();
  }

  /** Re-checks now (e.g. after the OS reports resume) and re-plans. */
  replan(): void {
    this._wake(false);
  }

  /** Cancels the timer for good. */
  dispose(): void {
    this._disposed = true;
    this._cancel();
    this._tokens.clear();
  }

  private _skew(): number {
    return this._options.clockSkewMs?.() ?? 0;
  }

  private _stateOf(token: ScheduledToken, now: number): { level: ExpiryLevel; renewDue: boolean } {
    const serverNow = now - this._skew();
    return {
      level: expiryLevel(timeLeft(token.expMs, now, this._skew()), token.thresholdMs),
      renewDue: token.renewAtMs !== undefined && serverNow >= token.renewAtMs,
    };
  }

  private _wake(fromTimer: boolean): void {
    if (this._disposed) {
      return;
    }
    if (fromTimer) {
      this._wakeUps++;
      this._timer = undefined;
      this._timerAt = undefined;
    }
    const now = this._options.clock.now();
    const transitions: ExpiryTransition[] = [];
    for (const token of this._tokens.values()) {
      const before = this._levels.get(token.id);
      const after = this._stateOf(token, now);
      if (before !== undefined && after.level !== before.level && after.level !== 'ok') {
        // A jump straight past the threshold still yields 'warning' only if it is the new level.
        transitions.push({ id: token.id, event: after.level });
      }
      if (after.renewDue && before?.renewDue !== true) {
        transitions.push({ id: token.id, event: 'renew-due' });
      }
      this._levels.set(token.id, after);
    }
    this._options.onWake(now, transitions);
    this._plan();
  }

  private _cancel(): void {
    if (this._timer !== undefined) {
      this._options.clock.clearTimeout(this._timer);
    }
    this._timer = undefined;
    this._timerAt = undefined;
  }

  private _plan(): void {
    this._cancel();
    if (this._disposed || this._tokens.size === 0) {
      return;
    }
    const now = this._options.clock.now();
    const next = nextWakeUp([...this._tokens.values()], now, this._skew());
    if (next === undefined) {
      return;
    }
    const delay = Math.min(Math.max(next - now, 0), this._options.maxSleepMs ?? maxTimerDelay, maxTimerDelay);
    this._timerAt = now + delay;
    this._timer = this._options.clock.setTimeout(() => this._wake(true), delay);
  }
}
