/** Expiry maths. Every function takes the clock as a parameter (`now` in ms), so tests freeze time. */

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** The display/level of a tracked token. */
export type ExpiryLevel = 'ok' | 'warning' | 'expired';

/**
 * Clock skew, everywhere in this extension (stored tokens included): the local clock minus the server's
 * clock, in ms. Positive when this machine runs ahead. A server-clock moment `t` is local `t + skew`.
 */
export type ClockSkewMs = number;

/** Milliseconds left until `expMs` (server clock). Negative once expired. */
export function timeLeft(expMs: number, now: number, clockSkewMs: ClockSkewMs = 0): number {
  return expMs + clockSkewMs - now;
}

/** Seconds round up so a live token never shows `0s`; capped at 59 so `60s` never appears next to `1m`. */
function secondsShown(ms: number): number {
  return Math.min(59, Math.ceil(ms / second));
}

/**
 * Short countdown text: `3d 04h`, `1h 05m`, `23m`, `45s` (seconds only in the last minute), `expired`.
 * Hours and minutes round down; seconds round up so a live token never shows `0s`.
 */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) {
    return 'expired';
  }
  if (ms < minute) {
    return `${secondsShown(ms)}s`;
  }
  if (ms >= day) {
    const hours = Math.floor(ms / hour);
    return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
  }
  const minutes = Math.floor(ms / minute);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * How long before expiry {@link formatTimeLeft}'s text next changes, in ms (> 0), or undefined once expired.
 * This is what lets a scheduler sleep for minutes instead of waking every second.
 */
export function msUntilDisplayChange(ms: number): number | undefined {
  if (ms <= 0) {
    return undefined;
  }
  if (ms < minute) {
    // "<s>s" shows while ms is in ((s-1)*1000, s*1000] (59s also covers the sliver above 59 s).
    return ms - (secondsShown(ms) - 1) * second;
  }
  // Floor units: the text changes on the first ms below the current multiple.
  const unit = ms >= day ? hour : minute;
  return ms - Math.floor(ms / unit) * unit + 1;
}

/** Default warning lead: the later of 10 minutes and 20 % of the lifetime. */
export const defaultMinWarningMs = 10 * minute;

/**
 * How long before expiry to warn. A user setting (ms) wins; otherwise the later of 10 minutes and 20 % of the lifetime.
 */
export function warningThresholdMs(lifetimeMs: number, settingMs?: number): number {
  if (settingMs !== undefined && Number.isFinite(settingMs) && settingMs >= 0) {
    return settingMs;
  }
  return Math.max(defaultMinWarningMs, Math.round(lifetimeMs * 0.2));
}

/** `expired` at or after expiry, `warning` within the threshold, else `ok`. */
export function expiryLevel(msLeft: number, thresholdMs: number): ExpiryLevel {
  if (msLeft <= 0) {
    return 'expired';
  }
  return msLeft <= thresholdMs ? 'warning' : 'ok';
}

/** When to auto-renew: at 80 % of the lifetime, as the kubelet does for projected tokens. */
export function renewAtMs(iatMs: number, expMs: number): number {
  return iatMs + Math.round((expMs - iatMs) * 0.8);
}

/** A token as the scheduler sees it (times in ms since epoch, on the server's clock). */
export interface ExpiryTimes {
  readonly expMs: number;
  /** Warning lead in ms (see {@link warningThresholdMs}). */
  readonly thresholdMs: number;
  /** Auto-renew moment, when auto-renew is on. */
  readonly renewAtMs?: number;
}

/**
 * The next local moment (ms) at which anything visible changes: the countdown text of the soonest-expiring
 * token (minute boundaries; seconds only in its last minute), any token's warning threshold, expiry or
 * renewal time. Undefined when nothing will ever change again.
 */
export function nextWakeUp(tokens: readonly ExpiryTimes[], now: number, clockSkewMs: ClockSkewMs = 0): number | undefined {
  let next = Number.POSITIVE_INFINITY;
  const consider = (localMs: number): void => {
    if (localMs > now && localMs < next) {
      next = localMs;
    }
  };
  let soonest: ExpiryTimes | undefined;
  for (const token of tokens) {
    // Convert server-clock moments to the local clock.
    consider(token.expMs + clockSkewMs);
    consider(token.expMs - token.thresholdMs + clockSkewMs);
    if (token.renewAtMs !== undefined) {
      consider(token.renewAtMs + clockSkewMs);
    }
    if (soonest === undefined || token.expMs < soonest.expMs) {
      soonest = token;
    }
  }
  if (soonest !== undefined) {
    const change = msUntilDisplayChange(timeLeft(soonest.expMs, now, clockSkewMs));
    if (change !== undefined) {
      consider(now + change);
    }
  }
  return Number.isFinite(next) ? next : undefined;
}

/**
 * The clock skew (local minus server, ms) from an HTTP `Date` header and the local request start and
 * response end. The header has whole-second resolution, so its midpoint (+500 ms) is used.
 * Undefined when the header cannot be parsed.
 */
export function estimateSkew(serverDateHeader: string | undefined, localRequestStart: number, localResponseEnd: number): ClockSkewMs | undefined {
  if (serverDateHeader === undefined) {
    return undefined;
  }
  const serverMs = Date.parse(serverDateHeader);
  if (Number.isNaN(serverMs)) {
    return undefined;
  }
  return (localRequestStart + localResponseEnd) / 2 - (serverMs + 500);
}

/** Skew worth telling the user about (over a minute, the server's own leeway). */
export function isSignificantSkew(clockSkewMs: ClockSkewMs): boolean {
  return Math.abs(clockSkewMs) > minute;
}
