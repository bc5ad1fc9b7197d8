import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { holdsLease, isLeaseLive, leaseDeadline, mayClaim, parseLease, serializeLease } from '../../../../src/core/expiry/renewalLease';

const now = Date.UTC(2026, 6, 1, 10, 0, 0);

suite('core/expiry: renewal lease', () => {
  test('the deadline outlives three request timeouts plus 10 s', () => {
    assert.equal(leaseDeadline(now, 30_000), now + 100_000);
  });

  test('a live lease held by another window blocks a claim; an expired one, or one\'s own, does not', () => {
    const other = { owner: 'window-b', deadline: now + 1 };
    assert.equal(mayClaim(undefined, 'window-a', now), true);
    assert.equal(mayClaim(other, 'window-a', now), false);
    assert.equal(mayClaim(other, 'window-b', now), true);
    assert.equal(mayClaim({ owner: 'window-b', deadline: now }, 'window-a', now), true, 'expired at its deadline');
    assert.equal(isLeaseLive(other, now + 1), false);
  });

  test('the lease read back is held only when it is one\'s own claim and still live', () => {
    assert.equal(holdsLease({ owner: 'window-a', deadline: now + 5 }, 'window-a', now), true);
    assert.equal(holdsLease({ owner: 'window-b', deadline: now + 5 }, 'window-a', now), false, 'the racing window\'s write landed last');
    assert.equal(holdsLease({ owner: 'window-a', deadline: now - 1 }, 'window-a', now), false, 'expired while settling');
    assert.equal(holdsLease(undefined, 'window-a', now), false, 'released or deleted meanwhile');
  });

  test('round-trips through its stored form; an unreadable value is no lease', () => {
    const lease = { owner: 'window-a', deadline: now };
    assert.deepEqual(parseLease(serializeLease(lease)), lease);
    for (const bad of [undefined, '', 'not json', '{}', '{"owner":"","deadline":1}', '{"owner":"a","deadline":"1"}', 'null']) {
      assert.equal(parseLease(bad), undefined, String(bad));
    }
  });
});
