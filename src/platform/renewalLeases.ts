import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeaseLive, leaseDeadline, parseLease, serializeLease } from '../core/expiry/renewalLease';

/** The outcome of claiming a token's renewal. */
export type LeaseClaim =
  | { readonly acquired: true; release(): Promise<void> }
  | { readonly acquired: false; /** When the other window's lease runs out (epoch ms), if known. */ readonly until?: number };

/** Cross-window renewal leases; tests and single-window setups can use {@link noLeases}. */
export interface RenewalLeases {
  acquire(tokenId: string): Promise<LeaseClaim>;
}

export interface FileRenewalLeasesOptions {
  /** The folder every window of the profile shares (the token ledger's). */
  readonly dir: string;
  /** This window's id; random by default (one per window, so a reload is a new owner). */
  readonly owner?: string;
  readonly now?: () => number;
  /** The request timeout (ms), read at each claim: the lease outlives a slow TokenRequest. */
  readonly requestTimeoutMs: () => number;
}

const leaseSuffix = '.lease';

/**
 * Leases as files beside the token ledger, `<id>.lease`, created with O_EXCL: the file system lets exactly one
 * window create it, in every window, at once (SecretStorage and globalState reach other windows late, or in
 * a browser workbench not at all). A lease past its deadline (a window that crashed mid-renewal) is taken
 * over by renaming it away first, which only one window can do.
 */
export class FileRenewalLeases implements RenewalLeases {
  readonly owner: string;

  constructor(private readonly _options: FileRenewalLeasesOptions) {
    this.owner = _options.owner ?? randomUUID();
  }

  acquire(tokenId: string): Promise<LeaseClaim> {
    const path = join(this._options.dir, tokenId + leaseSuffix);
    mkdirSync(this._options.dir, { recursive: true });
    if (this._create(path)) {
      return Promise.resolve(this._held(path));
    }
    const current = readLease(path);
    if (current !== undefined && isLeaseLive(current, this._now())) {
      return Promise.resolve(current.owner === this.owner ? this._held(path) : { acquired: false, until: current.deadline });
    }
    return Promise.resolve(this._takeOver(path));
  }

  /** Moves an expired or unreadable lease aside (one window wins the rename), then claims afresh. */
  private _takeOver(path: string): LeaseClaim {
    const aside = `${path}.${randomUUID()}.stale`;
    try {
      renameSync(path, aside);
    } catch {
      // Gone already: released, or moved aside by another window.
    }
    const moved = readLease(aside);
    if (moved !== undefined && isLeaseLive(moved, this._now()) && moved.owner !== this.owner) {
      // Another window claimed it between our read and our rename: put its claim back.
      try {
        linkSync(aside, path);
      } catch {
        // A newer claim is there already.
      }
      rmSync(aside, { force: true });
      return { acquired: false, until: moved.deadline };
    }
    rmSync(aside, { force: true });
    if (this._create(path)) {
      return this._held(path);
    }
    const winner = readLease(path);
    return { acquired: false, ...(winner !== undefined ? { until: winner.deadline } : {}) };
  }

  private _create(path: string): boolean {
    try {
      writeFileSync(path, serializeLease({ owner: this.owner, deadline: leaseDeadline(this._now(), this._options.requestTimeoutMs()) }), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return false;
      }
      throw error;
    }
  }

  private _held(path: string): LeaseClaim {
    return {
      acquired: true,
      release: () => {
        // Only our own claim: after a deadline ran out another window may hold the lease now.
        if (readLease(path)?.owner === this.owner) {
          rmSync(path, { force: true });
        }
        return Promise.resolve();
      },
    };
  }

  private _now(): number {
    return (this._options.now ?? Date.now)();
  }
}

function readLease(path: string) {
  try {
    return parseLease(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every claim succeeds: one window, nobody to coordinate with. */
export const noLeases: RenewalLeases = {
  acquire: () => Promise.resolve({ acquired: true, release: () => Promise.resolve() }),
};
