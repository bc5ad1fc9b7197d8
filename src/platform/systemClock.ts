import type { SchedulerClock } from '../core/expiry/expiryScheduler';

/** Wall clock and real timers (tests pass a virtual clock instead). */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
