import { tokenStatus } from './expiryStatus';
import { sortByExpiry } from './trackedTokens';
import type { ExpirySettings, TrackedToken } from './trackedTokens';

/** One row of the "tracked tokens" quick pick. */
export interface TrackedTokenItem {
  readonly id: string;
  /** `$(key) ci-bot`, `$(warning) ci-bot`, `$(error) ci-bot`. */
  readonly label: string;
  /** `expires in 23m` / `expired`. */
  readonly description: string;
  /** `build · sandbox-admin · audiences: api · bound to Pod runner-7 · auto-renew on`. */
  readonly detail: string;
  readonly autoRenew: boolean;
}

/** Quick pick rows for tracked tokens, soonest expiry first. */
export function trackedTokenItems(tokens: readonly TrackedToken[], now: number, settings: ExpirySettings = {}): TrackedTokenItem[] {
  return sortByExpiry(tokens).map((token) => {
    const status = tokenStatus(token, now, settings);
    const icon = status.level === 'expired' ? '$(error)' : status.level === 'warning' ? '$(warning)' : '$(key)';
    const details = [
      `${token.namespace} · ${token.context}`,
      `audiences: ${token.audiences.length === 0 ? 'API server default' : token.audiences.join(', ')}`,
    ];
    if (token.boundObject !== undefined) {
      details.push(`bound to ${token.boundObject.kind} ${token.boundObject.name}`);
    }
    if (token.autoRenew === true) {
      details.push('auto-renew on');
    }
    return {
      id: token.id,
      label: `${icon} ${token.serviceAccount}`,
      description: status.level === 'expired' ? 'expired' : `expires in ${status.timeLeftText}`,
      detail: details.join(' · '),
      autoRenew: token.autoRenew === true,
    };
  });
}
