import { expiryLevel, formatTimeLeft, isSignificantSkew, timeLeft, type ClockSkewMs } from './expiry';
import type { ExpiryLevel } from './expiry';
import { formatTime } from './timeFormat';
import type { TimeFormatOptions } from './timeFormat';
import { autoRenewAt, clockSkewOf, sortByExpiry, tokenThresholdMs } from './trackedTokens';
import type { ExpirySettings, TrackedToken } from './trackedTokens';

/** Theme colour ids VS Code allows as a status bar item background. */
export const warningBackground = 'statusBarItem.warningBackground';
export const errorBackground = 'statusBarItem.errorBackground';

/** One token as the UI shows it (tooltip rows, quick pick items). */
export interface TrackedTokenStatus {
  readonly id: string;
  readonly serviceAccount: string;
  readonly level: ExpiryLevel;
  /** `23m`, `45s`, `expired`. */
  readonly timeLeftText: string;
  readonly msLeft: number;
}

/** Everything the status bar item shows, derived from the store and the clock; replaced as a whole on each change. */
export interface ExpiryStatus {
  readonly visible: boolean;
  /** `$(key) ci-bot 23m`, or '' when hidden. */
  readonly text: string;
  /** Level of the soonest-expiring token. */
  readonly level?: ExpiryLevel;
  readonly backgroundColorId?: typeof warningBackground | typeof errorBackground;
  /** Markdown listing every tracked token. */
  readonly tooltip: string;
  readonly tokenCount: number;
  /** The token the text is about. */
  readonly soonestId?: string;
  /** Per token, soonest expiry first. */
  readonly tokens: readonly TrackedTokenStatus[];
}

export interface ExpiryStatusOptions extends ExpirySettings, TimeFormatOptions {}

export const hiddenStatus: ExpiryStatus = { visible: false, text: '', tooltip: '', tokenCount: 0, tokens: [] };

/** Status of one token at `now` (local clock). */
export function tokenStatus(token: TrackedToken, now: number, settings: ExpirySettings = {}): TrackedTokenStatus {
  const msLeft = timeLeft(token.expiresAt, now, clockSkewOf(token));
  return {
    id: token.id,
    serviceAccount: token.serviceAccount,
    level: expiryLevel(msLeft, tokenThresholdMs(token, settings)),
    timeLeftText: formatTimeLeft(msLeft),
    msLeft,
  };
}

/** Text inside a Markdown code span: backticks cannot be escaped there, so they are dropped. */
function code(text: string): string {
  return `\`${text.replaceAll('`', '') || ' '}\``;
}

/** Markdown-escapes plain text. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** "2m 30s" style skew for humans: server ahead/behind. */
export function describeSkew(clockSkewMs: ClockSkewMs): string {
  const text = formatTimeLeft(Math.abs(clockSkewMs));
  return clockSkewMs < 0 ? `the cluster's clock is ${text} ahead of this machine` : `the cluster's clock is ${text} behind this machine`;
}

function tooltipSection(token: TrackedToken, status: TrackedTokenStatus, now: number, options: ExpiryStatusOptions): string {
  const skew = clockSkewOf(token);
  const serverNow = now - skew; // server-clock "now", so relative texts agree with the countdown
  const when = (ms: number) => {
    const t = formatTime(ms, serverNow, options);
    return `${md(t.local)} (${t.relative})`;
  };
  const headline = status.level === 'expired' ? '$(error) expired' : status.level === 'warning' ? `$(warning) expires in ${status.timeLeftText}` : `expires in ${status.timeLeftText}`;
  const lines = [
    `**${md(token.serviceAccount)}**: ${headline}`,
    `Context ${code(token.context)} · namespace ${code(token.namespace)}`,
    `Audiences: ${token.audiences.length === 0 ? 'the API server default' : token.audiences.map(code).join(', ')}`,
    `Expires: ${when(token.expiresAt)}`,
  ];
  if (token.warnAfter !== undefined) {
    lines.push(`Stale from: ${when(token.warnAfter)}, when the cluster starts flagging this token as stale`);
  }
  if (token.boundObject !== undefined) {
    lines.push(`Bound to ${md(token.boundObject.kind)} ${code(token.boundObject.name)}`);
  }
  if (token.autoRenew === true) {
    lines.push(`Auto-renew: on, at ${when(autoRenewAt(token))}`);
  }
  if (isSignificantSkew(skew)) {
    lines.push(`Clock skew: ${md(describeSkew(skew))} (times above are corrected for it)`);
  }
  // Two trailing spaces: a Markdown line break inside one paragraph.
  return lines.join('  \n');
}

/**
 * The status bar item's state: hidden with no tokens; otherwise `$(key) <sa> <time left>` for the
 * soonest-expiring token, warning colours under its threshold, error colours once expired.
 */
export function expiryStatus(tokens: readonly TrackedToken[], now: number, options: ExpiryStatusOptions = {}): ExpiryStatus {
  if (tokens.length === 0) {
    return hiddenStatus;
  }
  const sorted = sortByExpiry(tokens);
  const statuses = sorted.map((t) => tokenStatus(t, now, options));
  const soonest = statuses[0];
  const sections = sorted.map((t, i) => tooltipSection(t, statuses[i], now, options));
  const title = `**Tracked service-account tokens (${tokens.length})**`;
  const backgroundColorId = soonest.level === 'expired' ? errorBackground : soonest.level === 'warning' ? warningBackground : undefined;
  return {
    visible: true,
    text: `$(key) ${soonest.serviceAccount} ${soonest.timeLeftText}`,
    level: soonest.level,
    ...(backgroundColorId !== undefined ? { backgroundColorId } : {}),
    tooltip: [title, ...sections, 'Click to list tracked tokens.'].join('\n\n---\n\n'),
    tokenCount: tokens.length,
    soonestId: soonest.id,
    tokens: statuses,
  };
}
