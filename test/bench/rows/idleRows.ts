import { renewAtMs, warningThresholdMs } from '../../../src/core/expiry/expiry';
import { ExpiryScheduler } from '../../../src/core/expiry/expiryScheduler';
import { seededRandom } from '../../fixtures/syntheticTokens';
import type { BenchConfig } from '../benchConfig';
import type { BenchReport } from '../benchReport';
import { FakeClock } from '../fakeClock';

const section = 'idle cost';
const minute = 60_000;
const hour = 60 * minute;

/**
 * 100 tracked tokens with mixed lifetimes (10 min to 24 h, issued at random moments so some warn and
 * expire inside the window, a fifth with auto-renew), driven by core's ExpiryScheduler over simulated
 * minutes with a fake clock. Returns timer wake-ups per simulated minute.
 */
function schedulerWakeUpsPerMinute(seed: number, minutes: number): number {
  const random = seededRandom(seed);
  const start = Date.UTC(2026, 6, 1, 10, 0, 0);
  const clock = new FakeClock(start);
  const lifetimes = [10 * minute, hour, 8 * hour, 24 * hour];
  const lifetimeOf = new Map<string, number>();
  const track = (id: string, iat: number, lifetime: number, autoRenew: boolean) => {
    const exp = iat + lifetime;
    lifetimeOf.set(id, lifetime);
    scheduler.set({ id, expMs: exp, thresholdMs: warningThresholdMs(lifetime), ...(autoRenew ? { renewAtMs: renewAtMs(iat, exp) } : {}) });
  };
  // What the extension does on a transition: auto-renew re-tracks the token with a fresh lifetime;
  // an expired one is pruned (at once here, which keeps the live countdown running: the costlier case).
  const scheduler: ExpiryScheduler = new ExpiryScheduler({
    clock,
    onWake: (now, transitions) => {
      for (const t of transitions) {
        if (t.event === 'renew-due') {
          track(t.id, now, lifetimeOf.get(t.id)!, true);
        } else if (t.event === 'expired') {
          scheduler.remove(t.id);
        }
      }
    },
  });
  for (let i = 0; i < 100; i++) {
    const lifetime = lifetimes[Math.floor(random() * lifetimes.length)];
    track(`t${i}`, start - Math.floor(random() * lifetime * 0.7), lifetime, i % 5 === 0);
  }
  clock.advanceTo(start + minutes * minute);
  const wakeUps = scheduler.wakeUps;
  scheduler.dispose();
  return wakeUps / minutes;
}

/** The naive design the scheduler replaces: a 1 s interval that re-renders the countdown. */
function tickerWakeUpsPerMinute(minutes: number): number {
  const start = 0;
  const clock = new FakeClock(start);
  const tick = () => void clock.setTimeout(tick, 1000);
  clock.setTimeout(tick, 1000);
  clock.advanceTo(start + minutes * minute);
  return clock.fired / minutes;
}

/** Steady state: 100 long-lived tokens, none near a threshold (what most of a working day looks like). */
function steadyWakeUpsPerMinute(minutes: number): number {
  const start = Date.UTC(2026, 6, 1, 10, 0, 0);
  const clock = new FakeClock(start);
  const scheduler = new ExpiryScheduler({ clock, onWake: () => undefined });
  for (let i = 0; i < 100; i++) {
    const exp = start + 12 * hour + i * minute;
    scheduler.set({ id: `t${i}`, expMs: exp, thresholdMs: warningThresholdMs(24 * hour) });
  }
  clock.advanceTo(start + minutes * minute);
  const wakeUps = scheduler.wakeUps;
  scheduler.dispose();
  return wakeUps / minutes;
}

export async function idleRows(report: BenchReport, config: BenchConfig): Promise<void> {
  const minutes = 8 * 60;
  let seed = 1;
  const samples = new Map<string, number[]>([
    ['core ExpiryScheduler, mixed tokens', []],
    ['core ExpiryScheduler, steady (12 h+ left)', []],
    ['naive 1 s countdown ticker', []],
  ]);
  for (let i = 0; i < config.reps; i++) {
    samples.get('core ExpiryScheduler, mixed tokens')!.push(schedulerWakeUpsPerMinute(seed++, minutes));
    samples.get('core ExpiryScheduler, steady (12 h+ left)')!.push(steadyWakeUpsPerMinute(minutes));
    samples.get('naive 1 s countdown ticker')!.push(tickerWakeUpsPerMinute(minutes));
  }
  await Promise.resolve();
  const row = report.addRow({
    section,
    figure: `timer wake-ups per minute, 100 tracked tokens, ${minutes / 60} simulated hours (fake clock; a new random token mix per rep)`,
    unit: 'wake-ups/min',
    better: 'lower',
    subject: 'core ExpiryScheduler, mixed tokens',
    peers: ['naive 1 s countdown ticker', 'core ExpiryScheduler, steady (12 h+ left)'],
    samples,
    note: 'mixed: lifetimes 10 min–24 h, a fifth auto-renewed, expired ones pruned; includes the per-second countdown of the soonest token in its last minute',
  });
  const steady = row.peers[1].summary.median;
  const mixed = row.subject.summary.median;
  report.budget(
    'idle: at most a few (≤ 5) timer wake-ups/min with 100 tracked tokens',
    `steady ${steady.toFixed(2)}/min, mixed churn ${mixed.toFixed(2)}/min`,
    steady <= 5,
  );
}
