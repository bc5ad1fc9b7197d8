import { formatTimeLeft } from './expiry';

/** One moment shown three ways. */
export interface TimeDisplay {
  /** In the given (or the machine's) time zone, via Intl. */
  readonly local: string;
  /** `2026-07-01 10:00:00 UTC`. */
  readonly utc: string;
  /** `in 59m`, `1h 05m ago`, `now`. */
  readonly relative: string;
}

/** Formatting choices; tests pass a fixed `timeZone` so results do not depend on the machine. */
export interface TimeFormatOptions {
  readonly timeZone?: string;
  readonly locale?: string;
}

/** Formats an epoch-ms moment as local, UTC and relative-to-`now` text. */
export function formatTime(ms: number, now: number, options: TimeFormatOptions = {}): TimeDisplay {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    return { local: 'invalid date', utc: 'invalid date', relative: '' };
  }
  const local = new Intl.DateTimeFormat(options.locale ?? 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'long',
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
  }).format(date);
  const utc = `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return { local, utc, relative: formatRelative(ms, now) };
}

/** `in 59m`, `1h 05m ago`, `now`: the same text on the page's live clock as in the host's view. */
export function formatRelative(ms: number, now: number): string {
  const delta = ms - now;
  return Math.abs(delta) < 1000 ? 'now' : delta > 0 ? `in ${formatTimeLeft(delta)}` : `${formatTimeLeft(-delta)} ago`;
}
