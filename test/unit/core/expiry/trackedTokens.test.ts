import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { autoRenewAt, localExpiresAt, scheduledToken, clockSkewOf, sortByExpiry, tokenThresholdMs } from '../../../../src/core/expiry/trackedTokens';
import type { TrackedToken } from '../../../../src/core/expiry/trackedTokens';

const t0 = Date.UTC(2026, 6, 1, 10, 0, 0);
const minute = 60_000;
const base: TrackedToken = { id: 'a', context: 'c', namespace: 'n', serviceAccount: 'sa', audiences: [], issuedAt: t0, expiresAt: t0 + 60 * minute };

suite('trackedTokens', () => {
  test('skew: StoredTokenMeta keeps local minus server; the maths uses server minus local', () => {
    assert.equal(clockSkewOf(base), 0);
    assert.equal(clockSkewOf({ ...base, clockSkewMs: 120_000 }), 120_000);
    assert.equal(localExpiresAt({ ...base, clockSkewMs: 120_000 }), t0 + 62 * minute);
    assert.equal(clockSkewOf({ ...base, clockSkewMs: Number.NaN }), 0);
  });

  test('threshold from the setting or the default rule', () => {
    assert.equal(tokenThresholdMs(base), 12 * minute);
    assert.equal(tokenThresholdMs(base, { warningMinutes: 3 }), 3 * minute);
    assert.equal(tokenThresholdMs(base, { warningMinutes: -1 }), 12 * minute);
    assert.equal(tokenThresholdMs({ ...base, expiresAt: t0 + 10 * minute }), 10 * minute);
  });

  test('auto-renew at 80 % of the lifetime; extended tokens at 80 % of the time to warnafter', () => {
    assert.equal(autoRenewAt(base), t0 + 48 * minute);
    const extended = { ...base, expiresAt: t0 + 365 * 24 * 60 * minute, warnAfter: t0 + 3_607_000 };
    assert.equal(autoRenewAt(extended), t0 + Math.round(3_607_000 * 0.8));
  });

  test('scheduled token: local-clock moments, renewal only with auto-renew, retry overrides', () => {
    const skewed = { ...base, clockSkewMs: 60_000 };
    assert.deepEqual(scheduledToken(skewed), { id: 'a', expMs: t0 + 61 * minute, thresholdMs: 12 * minute });
    assert.deepEqual(scheduledToken({ ...skewed, autoRenew: true }), { id: 'a', expMs: t0 + 61 * minute, thresholdMs: 12 * minute, renewAtMs: t0 + 49 * minute });
    assert.equal(scheduledToken({ ...skewed, autoRenew: true }, {}, t0 + 50 * minute).renewAtMs, t0 + 50 * minute);
  });

  test('sorting is by local expiry, then name, then id', () => {
    const sorted = sortByExpiry([
      { ...base, id: 'z', serviceAccount: 'b' },
      { ...base, id: 'y', serviceAccount: 'a' },
      { ...base, id: 'x', expiresAt: t0 + 61 * minute, clockSkewMs: -2 * minute }, // local expiry t0+59m
    ]);
    assert.deepEqual(sorted.map((t) => t.id), ['x', 'y', 'z']);
  });
});
