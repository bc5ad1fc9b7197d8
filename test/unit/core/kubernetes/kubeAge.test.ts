import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { formatKubeAge } from '../../../../src/core/kubernetes/kubeAge';

suite('formatKubeAge', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const ago = (s: number) => new Date(now - s * 1000).toISOString();
  test('matches kubectl AGE buckets', () => {
    assert.equal(formatKubeAge(ago(45), now), '45s');
    assert.equal(formatKubeAge(ago(200), now), '3m20s');
    assert.equal(formatKubeAge(ago(60 * 42), now), '42m');
    assert.equal(formatKubeAge(ago(3600 * 5 + 600), now), '5h10m');
    assert.equal(formatKubeAge(ago(3600 * 30), now), '30h');
    assert.equal(formatKubeAge(ago(86400 * 3), now), '3d');
    assert.equal(formatKubeAge(ago(86400 * 100), now), '100d');
    assert.equal(formatKubeAge(ago(86400 * (365 * 2 + 40)), now), '2y40d');
  });
  test('is empty for a missing or invalid timestamp, and never negative', () => {
    assert.equal(formatKubeAge(undefined, now), '');
    assert.equal(formatKubeAge('not a date', now), '');
    assert.equal(formatKubeAge(new Date(now + 5000).toISOString(), now), '0s');
  });
});
