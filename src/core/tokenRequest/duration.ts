import { TokenError } from '../errors';
import { unitSeconds } from './durationFormat';

export { formatDuration, formatGoDuration } from './durationFormat';

/** The smallest expiration the API server accepts (validation.go: 10 minutes). */
export const minExpirationSeconds = 600;
/** The largest expiration the API server accepts (validation.go: 1 << 32). */
export const maxExpirationSeconds = 2 ** 32;

/** Unit spellings people type, longest first so `min` is not read as `m` followed by `in`. */
const unitWords: Readonly<Record<string, string>> = {
  days: 'd', day: 'd', d: 'd',
  hours: 'h', hour: 'h', hrs: 'h', hr: 'h', h: 'h',
  minutes: 'm', minute: 'm', mins: 'm', min: 'm', m: 'm',
  seconds: 's', second: 's', secs: 's', sec: 's', s: 's',
};
const componentPattern = new RegExp(`(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(${Object.keys(unitWords).sort((a, b) => b.length - a.length).join('|')})(?![a-z])`, 'gy');

/** Says which forms a lifetime may take; shown whenever typed text is not one of them. */
export function notADurationMessage(text: string): string {
  return `"${text.trim()}" is not a lifetime. Use a number and a unit: s, m, h or d (seconds, minutes, hours, days), e.g. 90s, 10m, 1h, 1 hour, 2 hours, 1d or 7 days; at least ${minExpirationSeconds} s (10 minutes).`;
}

/**
 * Parses a lifetime typed by a person: `90m`, `2h30m`, `1h 30m`, `3600s`, `1d`, `7d`, the words of the
 * presets (`1 hour`, `2 hours`, `7 days`, `10 minutes`), or a bare number of seconds (`3600`). Units
 * may combine in any order, Go-style. Returns whole seconds.
 * @throws TokenError `ERR_INPUT_INVALID` with a message that says how to fix the input.
 */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  if (input === '') {
    throw new TokenError('ERR_INPUT_INVALID', 'Enter a duration such as 90m, 2h30m, 3600s or 1d.');
  }
  if (input.startsWith('-')) {
    throw new TokenError('ERR_INPUT_INVALID', `"${text.trim()}" is negative; a token lifetime must be positive.`);
  }
  if (/^\d+$/.test(input)) {
    return checkedSeconds(Number(input), text);
  }
  let total = 0;
  let consumed = 0;
  componentPattern.lastIndex = 0;
  for (let match = componentPattern.exec(input); match !== null; match = componentPattern.exec(input)) {
    total += Number(match[1]) * (unitSeconds[unitWords[match[2]!]!] ?? Number.NaN);
    consumed = componentPattern.lastIndex;
    // Allow spaces between components ("1h 30m"), as formatDuration produces them.
    while (input[consumed] === ' ') {
      consumed++;
    }
    componentPattern.lastIndex = consumed;
  }
  if (consumed === 0 || consumed !== input.length) {
    throw new TokenError('ERR_INPUT_INVALID', notADurationMessage(text));
  }
  return checkedSeconds(total, text);
}

function checkedSeconds(seconds: number, text: string): number {
  // Decimal units (1.5h) are fine as long as they land on whole seconds, like kubectl --duration.
  const rounded = Math.round(seconds * 1000) / 1000;
  if (!Number.isInteger(rounded)) {
    throw new TokenError('ERR_INPUT_INVALID', `"${text.trim()}" is not a whole number of seconds.`);
  }
  if (!Number.isSafeInteger(rounded)) {
    throw new TokenError('ERR_INPUT_INVALID', `"${text.trim()}" is too large; the API server accepts at most 2^32 seconds (about 136 years).`);
  }
  return rounded;
}

/**
 * Applies the API server's own `spec.expirationSeconds` rules (pkg/apis/authentication/validation)
 * and returns the server's exact detail text, or `undefined` when the value is acceptable.
 */
export function validateExpirationSeconds(seconds: number): string | undefined {
  if (!Number.isInteger(seconds)) {
    return 'must be a whole number of seconds';
  }
  if (seconds < minExpirationSeconds) {
    return 'may not specify a duration less than 10 minutes';
  }
  if (seconds > maxExpirationSeconds) {
    return 'may not specify a duration larger than 2^32 seconds';
  }
  return undefined;
}
