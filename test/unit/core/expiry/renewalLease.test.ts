import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { isLeaseLive, leaseDeadline, parseLease, serializeLease } from '../../../../src/core/expiry/renewalLease';

const now = Date.UTC(2026, 6, 1, 10, 0, 0);

suite('core/expiry: renewal lease', () => {
  test('the deadline outlives three request timeouts plus 10 s', () => {
    assert.equal(leaseDeadline(now, 30_000), now + 100_000);
  });

  test('a lease is live until its deadline', () => {
    assert.equal(isLeaseLive({ owner: 'window-b', deadline: now + 1 }, now), true);
    assert.equal(isLeaseLive({ owner: 'window-b', deadline: now }, now), false, 'expired at its deadline');
    assert.equal(isLeaseLive(undefined, now), false);
  });

  test('round-trips through its stored form; an unreadable value is no lease', () => {
    const lease = { owner: 'window-a', deadline: now };
    assert.deepEqual(parseLease(serializeLease(lease)), lease);
    for (const bad of [undefined, '', 'not json', '{}', '{"owner":"","deadline":1}', '{"owner":"a","deadline":"1"}', 'null']) {
      assert.equal(parseLease(bad), undefined, String(bad));
    }
  });
});
