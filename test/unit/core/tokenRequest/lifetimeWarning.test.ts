import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { lifetimeWarning } from '../../../../src/core/tokenRequest/lifetimeWarning';

const setting = 'saTokens.longLifetimeWarningHours';
const day = 86_400;

suite('lifetimeWarning', () => {
  test('no warning up to the limit, or when the limit is 0', () => {
    assert.equal(lifetimeWarning({ audiences: [], expirationSeconds: day }, day, setting), undefined);
    assert.equal(lifetimeWarning({ audiences: [] }, day, setting), undefined, 'the server default (1 h)');
    assert.equal(lifetimeWarning({ audiences: [], expirationSeconds: 36_500 * day }, 0, setting), undefined);
  });

  test('an unbound long token: only deleting the service account revokes it; the server may cap it', () => {
    assert.deepEqual(lifetimeWarning({ audiences: [], expirationSeconds: 36_500 * day }, day, setting), {
      label: '$(warning) Long-lived token: 36500d',
      description: 'more than 1d (saTokens.longLifetimeWarningHours)',
      detail: 'Not bound to any object: only deleting the service account revokes it early. The API server may cap it (--service-account-max-token-expiration).',
    });
  });

  test('a bound long token names what ends it', () => {
    const w = lifetimeWarning({ audiences: ['vault'], expirationSeconds: 2 * day, boundObject: { kind: 'Secret', name: 's' } }, day, setting);
    assert.equal(w?.detail, 'Valid until it expires or its Secret is deleted. The API server may cap it (--service-account-max-token-expiration).');
  });

  test('a Pod-bound 3607 s token for the API server\'s audiences: the server extends it to a year', () => {
    const w = lifetimeWarning({ audiences: [], expirationSeconds: 3607, boundObject: { kind: 'Pod', name: 'p' } }, day, setting);
    assert.equal(w?.label, '$(warning) Long-lived token: 1h 7s may last 365d');
    assert.equal(w?.detail, 'Pod-bound tokens asked for exactly 3607 s are valid for a year when the server runs with --service-account-extend-token-expiration (the default); the response still says 3607 s.');
    // Not extended: a custom audience, another binding, or another lifetime.
    assert.equal(lifetimeWarning({ audiences: ['vault'], expirationSeconds: 3607, boundObject: { kind: 'Pod', name: 'p' } }, day, setting), undefined);
    assert.equal(lifetimeWarning({ audiences: [], expirationSeconds: 3607, boundObject: { kind: 'Secret', name: 's' } }, day, setting), undefined);
    assert.equal(lifetimeWarning({ audiences: [], expirationSeconds: 3608, boundObject: { kind: 'Pod', name: 'p' } }, day, setting), undefined);
  });
});
