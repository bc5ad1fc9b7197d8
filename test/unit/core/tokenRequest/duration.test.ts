import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { formatDuration, formatGoDuration, parseDuration, validateExpirationSeconds } from '../../../../src/core/tokenRequest/duration';
import { isTokenError } from '../../../../src/core/errors';

function assertInvalid(input: string, message: string): void {
  assert.throws(() => parseDuration(input), (e: unknown) => {
    assert.ok(isTokenError(e));
    assert.equal(e.code, 'ERR_INPUT_INVALID');
    assert.equal(e.message, message);
    return true;
  });
}

suite('parseDuration', () => {
  test('accepts units, combinations and bare seconds', () => {
    const table: Array<[string, number]> = [
      ['90m', 5400], ['2h30m', 9000], ['3600s', 3600], ['1d', 86400], ['7d', 604800], ['3600', 3600],
      ['1h 30m', 5400], ['  10m  ', 600], ['1H', 3600], ['1d2h3m4s', 93784], ['30m2h', 9000], ['1.5h', 5400], ['.5h', 1800], ['0', 0],
      ['4294967296s', 4294967296],
      // The presets' own labels and common spellings.
      ['90s', 90], ['10m', 600], ['1h', 3600], ['1 hour', 3600], ['2 hours', 7200], ['7 days', 604800], ['1 day', 86400], ['10 minutes', 600],
      ['24 hours', 86400], ['8 Hours', 28800], ['30 min', 1800], ['45 mins', 2700], ['2 hrs', 7200], ['1hr', 3600], ['600 seconds', 600], ['90 secs', 90],
      ['1 hour 30 minutes', 5400], ['1.5 hours', 5400],
    ];
    for (const [input, seconds] of table) {
      assert.equal(parseDuration(input), seconds, input);
    }
  });

  test('rejects empty input', () => {
    assertInvalid('', 'Enter a duration such as 90m, 2h30m, 3600s or 1d.');
    assertInvalid('   ', 'Enter a duration such as 90m, 2h30m, 3600s or 1d.');
  });

  test('rejects unknown syntax with the accepted forms', () => {
    for (const input of ['10x', 'h', '1hh', 'ten minutes', '1h-5m', '1w', '1e3', '1 h 30', '1.2.3h', '100y', '1 hourly', '2 minutess', '5ms']) {
      assertInvalid(input, `"${input}" is not a lifetime. Use a number and a unit: s, m, h or d (seconds, minutes, hours, days), e.g. 90s, 10m, 1h, 1 hour, 2 hours, 1d or 7 days; at least 600 s (10 minutes).`);
    }
  });

  test('rejects negatives, fractions of seconds and absurd sizes', () => {
    assertInvalid('-5m', '"-5m" is negative; a token lifetime must be positive.');
    assertInvalid('1.5s', '"1.5s" is not a whole number of seconds.');
    assertInvalid('99999999999999999999', '"99999999999999999999" is too large; the API server accepts at most 2^32 seconds (about 136 years).');
  });
});

suite('formatDuration', () => {
  test('formats for people, omitting zero parts', () => {
    const table: Array<[number, string]> = [[5400, '1h 30m'], [600, '10m'], [604800, '7d'], [93600, '1d 2h'], [3607, '1h 7s'], [0, '0s'], [45, '45s'], [-90, '-1m 30s'], [31536000, '365d']];
    for (const [seconds, text] of table) {
      assert.equal(formatDuration(seconds), text, String(seconds));
    }
  });

  test('round-trips through parseDuration', () => {
    for (const seconds of [600, 3607, 5400, 93784, 604800]) {
      assert.equal(parseDuration(formatDuration(seconds)), seconds);
    }
  });
});

suite('formatGoDuration', () => {
  test('uses units kubectl --duration accepts', () => {
    const table: Array<[number, string]> = [[3600, '1h'], [9000, '2h30m'], [604800, '168h'], [45, '45s'], [3607, '1h7s'], [0, '0s']];
    for (const [seconds, text] of table) {
      assert.equal(formatGoDuration(seconds), text);
    }
  });
});

suite('validateExpirationSeconds', () => {
  test('uses the API server rules and texts', () => {
    assert.equal(validateExpirationSeconds(599), 'may not specify a duration less than 10 minutes');
    assert.equal(validateExpirationSeconds(0), 'may not specify a duration less than 10 minutes');
    assert.equal(validateExpirationSeconds(600), undefined);
    assert.equal(validateExpirationSeconds(3600), undefined);
    assert.equal(validateExpirationSeconds(2 ** 32), undefined);
    assert.equal(validateExpirationSeconds(2 ** 32 + 1), 'may not specify a duration larger than 2^32 seconds');
    assert.equal(validateExpirationSeconds(600.5), 'must be a whole number of seconds');
    assert.equal(validateExpirationSeconds(Number.NaN), 'must be a whole number of seconds');
  });
});
