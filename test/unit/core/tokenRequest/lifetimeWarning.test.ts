import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { lifetimeWarnings } from '../../../../src/core/tokenRequest/lifetimeWarning';

const setting = 'saTokens.longLifetimeWarningHours';
const day = 86_400;
const cap = { label: '$(info) The API server may cap the lifetime', description: '--service-account-max-token-expiration', detail: 'The result shows what was issued against what was asked.' };

suite('lifetimeWarnings', () => {
  test('none up to the limit, or when the limit is 0', () => {
    assert.deepEqual(lifetimeWarnings({ audiences: [], expirationSeconds: day }, day, setting), []);
    assert.deepEqual(lifetimeWarnings({ audiences: [] }, day, setting), [], 'the server default (1 h)');
    assert.deepEqual(lifetimeWarnings({ audiences: [], expirationSeconds: 36_500 * day }, 0, setting), []);
  });

  test('an unbound long token: only deleting the service account revokes it; the server may cap it', () => {
    assert.deepEqual(lifetimeWarnings({ audiences: [], expirationSeconds: 36_500 * day }, day, setting), [{
      label: '$(warning) Long-lived token: 36500d',
      description: 'more than 1d (saTokens.longLifetimeWarningHours)',
      detail: 'Not bound to any object: only deleting the service account revokes it early.',
    }, cap]);
  });

  test('a bound long token names what ends it', () => {
    const [w] = lifetimeWarnings({ audiences: ['vault'], expirationSeconds: 2 * day, boundObject: { kind: 'Secret', name: 's' } }, day, setting);
    assert.equal(w?.detail, 'Valid until it expires or its Secret is deleted.');
  });

  test('a Pod-bound 3607 s token for the API server\'s audiences: the server extends it to a year', () => {
    const [w] = lifetimeWarnings({ audiences: [], expirationSeconds: 3607, boundObject: { kind: 'Pod', name: 'p' } }, day, setting);
    assert.equal(w?.label, '$(warning) Long-lived token: 1h 7s may last 365d');
    assert.equal(w?.detail, 'Extended to a year by --service-account-extend-token-expiration (on by default).');
    // Not extended: a custom audience, another binding, or another lifetime.
    assert.deepEqual(lifetimeWarnings({ audiences: ['vault'], expirationSeconds: 3607, boundObject: { kind: 'Pod', name: 'p' } }, day, setting), []);
    assert.deepEqual(lifetimeWarnings({ audiences: [], expirationSeconds: 3607, boundObject: { kind: 'Secret', name: 's' } }, day, setting), []);
    assert.deepEqual(lifetimeWarnings({ audiences: [], expirationSeconds: 3608, boundObject: { kind: 'Pod', name: 'p' } }, day, setting), []);
  });

  test('every detail fits one line of the quick pick (it is cut off, not wrapped)', () => {
    const all = [
      ...lifetimeWarnings({ audiences: [], expirationSeconds: 36_500 * day }, day, setting),
      ...lifetimeWarnings({ audiences: [], expirationSeconds: 2 * day, boundObject: { kind: 'Secret', name: 's' } }, day, setting),
      ...lifetimeWarnings({ audiences: [], expirationSeconds: 3607, boundObject: { kind: 'Pod', name: 'p' } }, day, setting),
    ];
    for (const w of all) {
      assert.ok(w.detail.length <= 85, `${w.detail} (${w.detail.length})`);
    }
  });
});
