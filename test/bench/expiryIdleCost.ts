import { ExpiryScheduler } from '../../src/core/expiry/expiryScheduler';
import { scheduledToken } from '../../src/core/expiry/trackedTokens';
import type { ExpirySettings, TrackedToken } from '../../src/core/expiry/trackedTokens';
import { VirtualClock } from '../fakes/virtualClock';

/** Result of {@link measureExpiryWakeUps}. */
export interface ExpiryIdleCost {
  readonly tokens: number;
  readonly durationMs: number;
  readonly wakeUps: number;
  readonly wakeUpsPerMinute: number;
  /** Most timers pending at any moment (the design keeps exactly one). */
  readonly maxPendingTimers: number;
}

/**
 * Runs the extension's expiry scheduling (the same ExpiryScheduler and token mapping the status bar uses) on a
 * virtual clock for `durationMs` and counts timer wake-ups: the idle cost of tracking these tokens.
 */
export function measureExpiryWakeUps(tokens: readonly TrackedToken[], start: number, durationMs: number, settings: ExpirySettings = {}): ExpiryIdleCost {
  const clock = new VirtualClock(start);
  let maxPendingTimers = 0;
  const scheduler = new ExpiryScheduler({ clock, maxSleepMs: 5 * 60_000, onWake: () => undefined });
  for (const token of tokens) {
    scheduler.set(scheduledToken(token, settings));
  }
  const step = 1_000;
  for (let elapsed = 0; elapsed < durationMs; elapsed += step) {
    maxPendingTimers = Math.max(maxPendingTimers, clock.pendingTimers);
    clock.advance(Math.min(step, durationMs - elapsed));
  }
  scheduler.dispose();
  return { tokens: tokens.length, durationMs, wakeUps: scheduler.wakeUps, wakeUpsPerMinute: scheduler.wakeUps / (durationMs / 60_000), maxPendingTimers };
}
