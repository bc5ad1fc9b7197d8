import type { IssuedTokenMeta } from '../token/issuedToken';
import { renewAtMs, warningThresholdMs, type ClockSkewMs } from './expiry';
import type { ScheduledToken } from './expiryScheduler';

/**
 * What expiry tracking needs to know about a stored token (`StoredTokenMeta` is one). Times are the JWT's,
 * ms since the epoch on the server clock; `clockSkewMs` is local minus server (see `ClockSkewMs`).
 */
export type TrackedToken = Pick<
  IssuedTokenMeta,
  'context' | 'namespace' | 'serviceAccount' | 'audiences' | 'issuedAt' | 'expiresAt' | 'warnAfter' | 'clockSkewMs' | 'boundObject'
> & {
  readonly id: string;
  readonly autoRenew?: boolean;
};

/** Settings that shape expiry tracking. */
export interface ExpirySettings {
  /** `saTokens.expiryWarningMinutes`; undefined (or null/negative) = the later of 10 minutes and 20 % of the lifetime. */
  readonly warningMinutes?: number | null;
}

/** The token's clock skew (local minus server), 0 when unknown. */
export function clockSkewOf(token: TrackedToken): ClockSkewMs {
  const skew = token.clockSkewMs;
  return skew === undefined || !Number.isFinite(skew) ? 0 : skew;
}

/** `exp` moved onto the local clock: the local moment the server considers the token expired. */
export function localExpiresAt(token: TrackedToken): number {
  return token.expiresAt + clockSkewOf(token);
}

export function lifetimeMs(token: TrackedToken): number {
  return Math.max(0, token.expiresAt - token.issuedAt);
}

/** The warning lead for this token, in ms. */
export function tokenThresholdMs(token: TrackedToken, settings: ExpirySettings = {}): number {
  const minutes = settings.warningMinutes;
  const settingMs = typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0 ? minutes * 60_000 : undefined;
  return warningThresholdMs(lifetimeMs(token), settingMs);
}

/**
 * When auto-renew should re-issue (server clock): at 80 % of the lifetime, like the kubelet. Extended tokens
 * are renewed at 80 % of the time to `warnafter` (the lifetime that was asked for), as the kubelet does, so
 * the cluster never flags them as stale.
 */
export function autoRenewAt(token: TrackedToken): number {
  const end = token.warnAfter !== undefined && token.warnAfter > token.issuedAt && token.warnAfter < token.expiresAt ? token.warnAfter : token.expiresAt;
  return renewAtMs(token.issuedAt, end);
}

/** Soonest expiry first; ties by service account name then id, so the order is stable. */
export function sortByExpiry<T extends TrackedToken>(tokens: readonly T[]): T[] {
  return [...tokens].sort((a, b) => localExpiresAt(a) - localExpiresAt(b) || a.serviceAccount.localeCompare(b.serviceAccount) || a.id.localeCompare(b.id));
}

/**
 * The scheduler's view of a token, with every moment moved onto the local clock (each token may come from a
 * cluster with its own skew; the scheduler then runs with skew 0). `retryAt` (local ms) overrides the
 * auto-renew moment while a failed renewal waits for its next attempt.
 */
export function scheduledToken(token: TrackedToken, settings: ExpirySettings = {}, retryAt?: number): ScheduledToken {
  const skew = clockSkewOf(token);
  const base = { id: token.id, expMs: token.expiresAt + skew, thresholdMs: tokenThresholdMs(token, settings) };
  if (retryAt !== undefined) {
    return { ...base, renewAtMs: retryAt };
  }
  return token.autoRenew === true ? { ...base, renewAtMs: autoRenewAt(token) + skew } : base;
}
