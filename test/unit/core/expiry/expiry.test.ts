import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import {
  estimateSkew, expiryLevel, formatTimeLeft, isSignificantSkew, msUntilDisplayChange, nextWakeUp, renewAtMs, timeLeft, warningThresholdMs,
} from '../../../../src/core/expiry/expiry';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const now = Date.UTC(2026, 6, 1, 10, 0, 0);

suite('timeLeft', () => {
  test('subtracts now and skew', () => {
    assert.equal(timeLeft(now + 10 * m, now), 10 * m);
    assert.equal(timeLeft(now + 10 * m, now, -2 * m), 8 * m); // server clock 2 min ahead
    assert.equal(timeLeft(now - s, now), -s);
  });
});

suite('formatTimeLeft', () => {
  test('minutes and hours; seconds only in the last minute', () => {
    const table: Array<[number, string]> = [
      [23 * m + 59 * s, '23m'], [h + 5 * m, '1h 05m'], [h + 5 * m + 59 * s, '1h 05m'], [45 * s, '45s'], [44.2 * s, '45s'], [1, '1s'], [59_999, '59s'], [58_001, '59s'], [58_000, '58s'],
      [60 * s, '1m'], [59 * m + 59 * s, '59m'], [60 * m, '1h 00m'], [23 * h + 59 * m, '23h 59m'], [d, '1d 00h'], [3 * d + 4 * h + 30 * m, '3d 04h'],
      [365 * d, '365d 00h'], [0, 'expired'], [-5 * m, 'expired'],
    ];
    for (const [ms, text] of table) {
      assert.equal(formatTimeLeft(ms), text, String(ms));
    }
  });
});

suite('msUntilDisplayChange', () => {
  test('lands exactly on the next text change', () => {
    for (const ms of [1, 999, 1000, 1001, 45_500, 59_999, 60_000, 61_000, 23 * m + 59 * s, h, h + 1, d, d + 1, 3 * d + 7 * m, 365 * d]) {
      const delta = msUntilDisplayChange(ms)!;
      assert.ok(delta > 0, `${ms}`);
      assert.equal(formatTimeLeft(ms - delta + 1), formatTimeLeft(ms), `${ms}: changed too early`);
      assert.notEqual(formatTimeLeft(ms - delta), formatTimeLeft(ms), `${ms}: no change at the wake-up`);
    }
  });

  test('sleeps up to a minute (an hour when showing days), a second in the last minute', () => {
    assert.equal(msUntilDisplayChange(23 * m + 30 * s), 30 * s + 1);
    assert.equal(msUntilDisplayChange(2 * d + 30 * m), 30 * m + 1);
    assert.equal(msUntilDisplayChange(30_500), 500);
    assert.equal(msUntilDisplayChange(0), undefined);
    assert.equal(msUntilDisplayChange(-1), undefined);
  });
});

suite('warningThresholdMs', () => {
  test('later of 10 minutes and 20 % of the lifetime, unless set', () => {
    assert.equal(warningThresholdMs(h), 12 * m);
    assert.equal(warningThresholdMs(10 * m), 10 * m);
    assert.equal(warningThresholdMs(30 * m), 10 * m);
    assert.equal(warningThresholdMs(365 * d), 73 * d);
    assert.equal(warningThresholdMs(h, 5 * m), 5 * m);
    assert.equal(warningThresholdMs(h, 0), 0);
    assert.equal(warningThresholdMs(h, -1), 12 * m);
    assert.equal(warningThresholdMs(h, Number.NaN), 12 * m);
  });
});

suite('expiryLevel', () => {
  test('ok, warning at the threshold, expired at zero', () => {
    assert.equal(expiryLevel(13 * m, 12 * m), 'ok');
    assert.equal(expiryLevel(12 * m, 12 * m), 'warning');
    assert.equal(expiryLevel(1, 12 * m), 'warning');
    assert.equal(expiryLevel(0, 12 * m), 'expired');
    assert.equal(expiryLevel(-h, 12 * m), 'expired');
  });
});

suite('renewAtMs', () => {
  test('80 % of the lifetime', () => {
    assert.equal(renewAtMs(now, now + h), now + 48 * m);
    assert.equal(renewAtMs(now, now + 10 * m), now + 8 * m);
  });
});

suite('nextWakeUp', () => {
  test('nothing tracked, or everything expired: no wake-up', () => {
    assert.equal(nextWakeUp([], now), undefined);
    assert.equal(nextWakeUp([{ expMs: now - m, thresholdMs: 10 * m }], now), undefined);
  });

  test('the soonest token\'s next minute boundary', () => {
    assert.equal(nextWakeUp([{ expMs: now + 30 * m + 20 * s, thresholdMs: 10 * m }], now), now + 20 * s + 1);
  });

  test('a threshold or expiry of another token that comes sooner', () => {
    const tokens = [
      { expMs: now + 30 * m + 20 * s, thresholdMs: 10 * m },
      { expMs: now + 2 * h + 5 * s, thresholdMs: 2 * h }, // threshold crossed in 5 s
    ];
    assert.equal(nextWakeUp(tokens, now), now + 5 * s);
  });

  test('renewal moments count', () => {
    assert.equal(nextWakeUp([{ expMs: now + 30 * m + 20 * s, thresholdMs: 10 * m, renewAtMs: now + 3 * s }], now), now + 3 * s);
  });

  test('seconds cadence only in the last minute', () => {
    assert.equal(nextWakeUp([{ expMs: now + 42_300, thresholdMs: 10 * m }], now), now + 300);
    assert.equal(nextWakeUp([{ expMs: now + 5 * h + 42_300, thresholdMs: 10 * m }], now), now + 42_301);
  });

  test('skew shifts every moment to the local clock', () => {
    // Server is 2 minutes ahead: the threshold at server time exp-10m happens locally 2 minutes earlier.
    assert.equal(nextWakeUp([{ expMs: now + 12 * m + 30 * s, thresholdMs: 10 * m }], now, -2 * m), now + 30 * s);
  });

  test('100 tokens still yield one moment at most a minute away', () => {
    const tokens = Array.from({ length: 100 }, (_, i) => ({ expMs: now + (i + 1) * 7 * h + i * 13 * s, thresholdMs: 10 * m }));
    const next = nextWakeUp(tokens, now)!;
    assert.ok(next > now && next <= now + m + 1);
  });
});

suite('estimateSkew', () => {
  test('server Date minus the local midpoint, with the header\'s half second', () => {
    const start = Date.parse('2026-07-01T10:00:00.000Z');
    assert.equal(estimateSkew('Wed, 01 Jul 2026 10:02:00 GMT', start, start + 200), -(2 * m + 500 - 100));
    assert.equal(estimateSkew('Wed, 01 Jul 2026 09:59:00 GMT', start, start), m - 500);
  });

  test('unparseable or missing header', () => {
    assert.equal(estimateSkew('yesterday-ish', now, now), undefined);
    assert.equal(estimateSkew(undefined, now, now), undefined);
  });

  test('significant above one minute either way', () => {
    assert.equal(isSignificantSkew(m), false);
    assert.equal(isSignificantSkew(m + 1), true);
    assert.equal(isSignificantSkew(-m - 1), true);
  });
});
