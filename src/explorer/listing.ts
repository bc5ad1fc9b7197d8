import { isTokenError } from '../core/errors';
import type { ClusterClient, Page } from '../kube/clusterClient';
import type { AccountNode } from './accountNodes';
import { errorNode } from './errorNode';

/** Fetches one page of a listing's children. */
export type Pager = (client: ClusterClient, options: { limit: number; continueToken?: string; signal: AbortSignal; restartIfExpired: true }) => Promise<Page<AccountNode>>;

/**
 * The children under one parent: loaded page by page, cancellable, with the failure (if any) of the
 * last load. One load at a time: a second request while one is in flight waits for it.
 */
export class Listing {
  items: AccountNode[] = [];
  /** Notes shown before the items (permission fallbacks, "none found"). */
  notes: AccountNode[] = [];
  continueToken: string | undefined;
  remaining: number | undefined;
  error: AccountNode | undefined;
  private _pending: Promise<void> | undefined;
  private _controller: AbortController | undefined;

  constructor(readonly parent: AccountNode) {}

  get loading(): boolean {
    return this._pending !== undefined;
  }

  /** Runs `load` unless a load is in flight, and resolves when the current load settles. */
  run(load: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this._pending === undefined) {
      const controller = new AbortController();
      this._controller = controller;
      this._pending = load(controller.signal).finally(() => {
        this._pending = undefined;
        if (this._controller === controller) {
          this._controller = undefined;
        }
      });
    }
    return this._pending;
  }

  /** Resolves when no load is in flight. */
  async settled(): Promise<void> {
    while (this._pending !== undefined) {
      await this._pending;
    }
  }

  abort(): void {
    this._controller?.abort();
  }

  /**
   * Appends the next page (a restarted list replaces what was loaded). A failure becomes the listing's
   * error item, unless `onFailure` handles it; a cancelled load leaves the listing as it was.
   */
  nextPage(client: ClusterClient, pager: Pager, limit: number, signal: AbortSignal, onFailure?: (e: unknown) => boolean): Promise<void> {
    return pager(client, { limit, signal, restartIfExpired: true, ...(this.continueToken === undefined ? {} : { continueToken: this.continueToken }) }).then(
      (page) => {
        this.items = page.restarted === true ? [...page.items] : [...this.items, ...page.items];
        this.continueToken = page.continueToken;
        this.remaining = page.remainingItemCount;
        this.error = undefined;
      },
      (e: unknown) => {
        if (isTokenError(e) && e.code === 'ERR_CANCELLED') {
          return;
        }
        if (onFailure?.(e) !== true) {
          this.error = errorNode(this.parent.key, e);
        }
      },
    );
  }
}
