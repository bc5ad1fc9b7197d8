import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { lifetimeLabel, lifetimePresets, parseLifetimeInput } from '../../../../src/core/tokenRequest/lifetimeChoices';

suite('lifetimeChoices', () => {
  test('offers 10 min, 1 h, 8 h, 24 h and 7 d', () => {
    assert.deepEqual(lifetimePresets.map((p) => p.seconds), [600, 3600, 28800, 86400, 604800]);
  });

  test('parses free entry', () => {
    assert.deepEqual(parseLifetimeInput('90m'), { seconds: 5400 });
    assert.deepEqual(parseLifetimeInput('2h30m'), { seconds: 9000 });
    assert.deepEqual(parseLifetimeInput('3600s'), { seconds: 3600 });
    assert.deepEqual(parseLifetimeInput('1d'), { seconds: 86400 });
    assert.deepEqual(parseLifetimeInput('4294967296'), { seconds: 4294967296 });
  });

  test('rejects with the API server\'s own rule text', () => {
    assert.deepEqual(parseLifetimeInput('1m'), { problem: 'spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes (you entered 1m).' });
    assert.deepEqual(parseLifetimeInput('599s'), { problem: 'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes (you entered 9m 59s).' });
    assert.deepEqual(parseLifetimeInput('4294967297'), { problem: 'spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds (you entered 49710d 6h 28m 17s).' });
  });

  test('passes parse errors through', () => {
    assert.deepEqual(parseLifetimeInput('soon'), { problem: '"soon" is not a lifetime. Use a number and a unit: s, m, h or d (seconds, minutes, hours, days), e.g. 90s, 10m, 1h, 1 hour, 2 hours, 1d or 7 days; at least 600 s (10 minutes).' });
    assert.deepEqual(parseLifetimeInput(''), { problem: 'Enter a duration such as 90m, 2h30m, 3600s or 1d.' });
  });

  test('every preset\'s own label is accepted as typed', () => {
    for (const preset of lifetimePresets) {
      assert.deepEqual(parseLifetimeInput(preset.label), { seconds: preset.seconds }, preset.label);
    }
  });

  test('labels presets by name and others by duration', () => {
    assert.equal(lifetimeLabel(undefined), 'server default (1 hour)');
    assert.equal(lifetimeLabel(28800), '8 hours');
    assert.equal(lifetimeLabel(5400), '1h 30m');
  });
});
