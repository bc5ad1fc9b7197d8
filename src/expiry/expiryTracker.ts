import { Emitter } from '../platform/events';
import { ExpiryScheduler } from '../core/expiry/expiryScheduler';
import type { ExpiryTransition, ScheduledToken, SchedulerClock } from '../core/expiry/expiryScheduler';
import { expiryStatus } from '../core/expiry/expiryStatus';
import type { ExpiryStatus } from '../core/expiry/expiryStatus';
import { scheduledToken } from '../core/expiry/trackedTokens';
import type { ExpirySettings } from '../core/expiry/trackedTokens';
import { Disposable } from '../platform/disposable';
import type { StoredTokenMeta, TokenStore } from '../platform/tokenStore';

/** A transition with the token it concerns (as stored when it fired). */
export interface TokenTransition {
  readonly meta: StoredTokenMeta;
  readonly event: ExpiryTransition['event'];
}

/** Per-generation override of the auto-renew moment: a retry time, or 'off' after a permanent failure. */
type RenewOverride = { readonly expiresAt: number; readonly at: number | 'off' };

/**
 * Bounded sleep: a suspended machine's timers are late or paused; this guarantees a re-check within
 * five minutes of resume even when the window never regains focus.
 */
const maxSleepMs = 5 * 60_000;

/**
 * THE expiry scheduler of the extension: wires core/expiryScheduler to real timers and the token store.
 * One timer for all tokens; on every wake it recomputes the status bar state from the wall clock, and it
 * announces transitions (warning, expired, renew-due) to the notification and auto-renew features.
 */
export class ExpiryTracker extends Disposable {
  private readonly _scheduler: ExpiryScheduler;
  private readonly _scheduled = new Map<string, ScheduledToken>();
  private readonly _overrides = new Map<string, RenewOverride>();
  private readonly _onDidTransition = this._register(new Emitter<TokenTransition>());
  readonly onDidTransition = this._onDidTransition.event;
  private readonly _onDidChangeStatus = this._register(new Emitter<ExpiryStatus>());
  /** Fires after every recomputation (store change, wake-up, setting change). */
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
  private _status: ExpiryStatus;

  constructor(
    private readonly _store: TokenStore,
    private readonly _clock: SchedulerClock,
    private readonly _settings: () => ExpirySettings,
  ) {
    super();
    this._scheduler = new ExpiryScheduler({ clock: _clock, maxSleepMs, onWake: (now, transitions) => this._onWake(now, transitions) });
    this._register({ dispose: () => this._scheduler.dispose() });
    this._register(_store.onDidChange(() => this.sync()));
    this._status = expiryStatus([], _clock.now());
    this.sync();
  }

  get status(): ExpiryStatus {
    return this._status;
  }

  /** Timer wake-ups so far (the idle-cost figure). */
  get wakeUps(): number {
    return this._scheduler.wakeUps;
  }

  get nextWakeAt(): number | undefined {
    return this._scheduler.nextWakeAt;
  }

  now(): number {
    return this._clock.now();
  }

  /** Re-reads the store and re-plans the tokens whose schedule changed (others keep their levels). */
  sync(force = false): void {
    if (this.isDisposed) {
      return;
    }
    const tokens = this._store.list();
    const now = this._clock.now();
    const seen = new Set<string>();
    const dueNow: StoredTokenMeta[] = [];
    for (const meta of tokens) {
      seen.add(meta.id);
      const override = this._overrides.get(meta.id);
      if (override !== undefined && override.expiresAt !== meta.expiresAt) {
        this._overrides.delete(meta.id); // renewed: a new generation starts clean
      }
      const next = this._toScheduled(meta);
      const before = this._scheduled.get(meta.id);
      if (force || before === undefined || !sameSchedule(before, next)) {
        this._scheduled.set(meta.id, next);
        this._scheduler.set(next);
        // The scheduler reports edges only; a renewal already due when the token is (re)planned (startup, auto-renew
        // just turned on past 80 %) is announced here, once per plan.
        if (next.renewAtMs !== undefined && now >= next.renewAtMs && now < next.expMs) {
          dueNow.push(meta);
        }
      }
    }
    for (const id of [...this._scheduled.keys()]) {
      if (!seen.has(id)) {
        this._scheduled.delete(id);
        this._overrides.delete(id);
        this._scheduler.remove(id);
      }
    }
    this._refresh(now);
    for (const meta of dueNow) {
      this._onDidTransition.fire({ meta, event: 'renew-due' });
    }
  }

  /** Re-checks now (window focus regained, resume). */
  replan(): void {
    this._scheduler.replan();
  }

  /** Moves this token generation's auto-renew to `at` (local ms; a retry), or turns it off ('off'). `undefined` restores the default. */
  setRenewOverride(id: string, at: number | 'off' | undefined): void {
    const meta = this._store.get(id);
    if (meta === undefined) {
      return;
    }
    if (at === undefined) {
      this._overrides.delete(id);
    } else {
      this._overrides.set(id, { expiresAt: meta.expiresAt, at });
    }
    this.sync();
  }

  private _toScheduled(meta: StoredTokenMeta): ScheduledToken {
    const override = this._overrides.get(meta.id);
    const settings = this._settings();
    if (override === undefined || meta.autoRenew !== true) {
      return scheduledToken(meta, settings);
    }
    return override.at === 'off' ? scheduledToken({ ...meta, autoRenew: false }, settings) : scheduledToken(meta, settings, override.at);
  }

  private _onWake(now: number, transitions: readonly ExpiryTransition[]): void {
    this._refresh(now);
    for (const transition of transitions) {
      const meta = this._store.get(transition.id);
      if (meta !== undefined) {
        this._onDidTransition.fire({ meta, event: transition.event });
      }
    }
  }

  private _refresh(now: number): void {
    this._status = expiryStatus(this._store.list(), now, this._settings());
    this._onDidChangeStatus.fire(this._status);
  }
}

function sameSchedule(a: ScheduledToken, b: ScheduledToken): boolean {
  return a.expMs === b.expMs && a.thresholdMs === b.thresholdMs && a.renewAtMs === b.renewAtMs;
}
