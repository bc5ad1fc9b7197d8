import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import { secretKeys } from '../constants';
import { holdsLease, leaseDeadline, leaseSettleMs, mayClaim, parseLease, serializeLease } from '../core/expiry/renewalLease';

/** The outcome of claiming a token's renewal. */
export type LeaseClaim =
  | { readonly acquired: true; release(): Promise<void> }
  | { readonly acquired: false; /** When the other window's lease runs out (epoch ms), if known. */ readonly until?: number };

/** Cross-window renewal leases; tests and single-window setups can use {@link noLeases}. */
export interface RenewalLeases {
  acquire(tokenId: string): Promise<LeaseClaim>;
}

export interface SecretRenewalLeasesOptions {
  readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>;
  /** This window's id; random by default (one per window, so a reload is a new owner). */
  readonly owner?: string;
  readonly now?: () => number;
  /** The request timeout (ms), read at each claim: the lease outlives a slow TokenRequest. */
  readonly requestTimeoutMs: () => number;
  readonly settleMs?: number;
}

/**
 * Leases in SecretStorage, the one store every window of the profile reads fresh and hears change at once
 * (globalState reaches other windows late). Write the claim, wait, read back: only the surviving claim renews.
 */
export class SecretRenewalLeases implements RenewalLeases {
  readonly owner: string;

  constructor(private readonly _options: SecretRenewalLeasesOptions) {
    this.owner = _options.owner ?? randomUUID();
  }

  async acquire(tokenId: string): Promise<LeaseClaim> {
    const key = secretKeys.renewalLeasePrefix + tokenId;
    const { secrets } = this._options;
    const current = parseLease(await secrets.get(key));
    if (!mayClaim(current, this.owner, this._now())) {
      return { acquired: false, ...(current !== undefined ? { until: current.deadline } : {}) };
    }
    await secrets.store(key, serializeLease({ owner: this.owner, deadline: leaseDeadline(this._now(), this._options.requestTimeoutMs()) }));
    await new Promise((resolve) => setTimeout(resolve, this._options.settleMs ?? leaseSettleMs));
    const back = parseLease(await secrets.get(key));
    if (!holdsLease(back, this.owner, this._now())) {
      return { acquired: false, ...(back !== undefined ? { until: back.deadline } : {}) };
    }
    return {
      acquired: true,
      release: async () => {
        // Only our own claim: after a deadline ran out another window may hold the lease now.
        if (parseLease(await secrets.get(key))?.owner === this.owner) {
          await secrets.delete(key);
        }
      },
    };
  }

  private _now(): number {
    return (this._options.now ?? Date.now)();
  }
}

/** Every claim succeeds: one window, nobody to coordinate with. */
export const noLeases: RenewalLeases = {
  acquire: () => Promise.resolve({ acquired: true, release: () => Promise.resolve() }),
};
