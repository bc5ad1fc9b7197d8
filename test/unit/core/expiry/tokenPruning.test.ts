import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { nextPruneAt, tokensToPrune } from '../../../../src/core/expiry/tokenPruning';

const minute = 60_000;

suite('tokenPruning', () => {
  const tokens = [
    { id: 'live', expiresAt: 100 * minute },
    { id: 'justExpired', expiresAt: 10 * minute },
    { id: 'longExpired', expiresAt: 0 },
  ];

  test('prunes only tokens expired for longer than the grace period', () => {
    assert.deepEqual(tokensToPrune(tokens, 30 * minute, 21 * minute), ['longExpired']);
    assert.deepEqual(tokensToPrune(tokens, 30 * minute, 20 * minute), ['justExpired', 'longExpired'], 'due exactly at exp + grace');
    assert.deepEqual(tokensToPrune(tokens, 30 * minute, 0), ['justExpired', 'longExpired']);
    assert.deepEqual(tokensToPrune(tokens, 30 * minute, 60 * minute), []);
  });

  test('a negative grace means never', () => {
    assert.deepEqual(tokensToPrune(tokens, 1e12, -1), []);
    assert.equal(nextPruneAt(tokens, -1), undefined);
  });

  test('honours clock skew (local minus server)', () => {
    // The local clock runs 5 minutes ahead: a token whose exp+grace is at 30 min (server) is due at 35 min local.
    const skewed = [{ id: 't', expiresAt: 20 * minute, clockSkewMs: 5 * minute }];
    assert.deepEqual(tokensToPrune(skewed, 34 * minute, 10 * minute), []);
    assert.deepEqual(tokensToPrune(skewed, 35 * minute, 10 * minute), ['t']);
    assert.equal(nextPruneAt(skewed, 10 * minute), 35 * minute);
  });

  test('schedules the earliest prune', () => {
    assert.equal(nextPruneAt(tokens, 5 * minute), 5 * minute);
    assert.equal(nextPruneAt([], 5 * minute), undefined);
  });
});
