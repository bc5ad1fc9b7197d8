import { isTokenError } from '../errors';
import type { SchedulerClock } from '../expiry/expiryScheduler';

/**
 * What the last requests to one context's API server say about it. `slow`: a request has been in flight
 * longer than the slow threshold. Forbidden (and any other answer from the server) means it is reachable:
 * permissions are per namespace and shown where they apply.
 */
export type ClusterHealthState = 'unknown' | 'reachable' | 'slow' | 'unreachable' | 'unauthorized';

export interface ClusterHealth {
  readonly state: ClusterHealthState;
  /** The failure's TokenErrorCode (unreachable / unauthorized). */
  readonly code?: string;
  /** The failure's message, from the kube layer. */
  readonly message?: string;
  readonly hint?: string;
}

/** The state a failed request leaves the cluster in; undefined when the server answered (or the caller gave up). */
export function healthAfterFailure(error: unknown): 'unreachable' | 'unauthorized' | undefined {
  const code = isTokenError(error) ? error.code : undefined;
  switch (code) {
    case 'ERR_UNREACHABLE':
    case 'ERR_TIMEOUT':
    case 'ERR_TLS':
      return 'unreachable';
    case 'ERR_UNAUTHORIZED':
    case 'ERR_EXEC_PLUGIN':
      return 'unauthorized';
    default:
      return undefined;
  }
}

/** The short words the context row shows for a state (with the error after them); undefined for a healthy one. */
export function describeHealth(health: ClusterHealth): string | undefined {
  switch (health.state) {
    case 'slow':
      return 'Loading… (the API server is slow to answer)';
    case 'unreachable':
      return health.code === 'ERR_TIMEOUT' ? 'timed out' : health.code === 'ERR_TLS' ? 'TLS error' : 'unreachable';
    case 'unauthorized':
      return health.code === 'ERR_EXEC_PLUGIN' ? 'credential plugin failed' : 'credentials rejected';
    default:
      return undefined;
  }
}

export interface ClusterHealthTrackerOptions {
  /** How long a request may be in flight before its row and its context show it as slow. */
  readonly slowAfterMs: number;
  readonly clock: Pick<SchedulerClock, 'setTimeout' | 'clearTimeout'>;
  /** Told when a context's health changed, or a row started or stopped being slow. */
  readonly onDidChange: (change: { readonly context: string; readonly row?: string }) => void;
}

/**
 * Follows the requests made for each context: the outcome of the last one settles the context's health,
 * and a request still in flight after `slowAfterMs` marks its row (and the context) slow until it settles.
 */
export class ClusterHealthTracker {
  private readonly _outcomes = new Map<string, ClusterHealth>();
  /** Rows with a slow request in flight, and how many, by context. */
  private readonly _slowRows = new Map<string, Map<string, number>>();
  /** Bumped by forgetOutcomes: requests made before it say nothing about the connection now. */
  private _generation = 0;

  constructor(private readonly _options: ClusterHealthTrackerOptions) {}

  /**
   * Forgets what earlier requests said (a reloaded kubeconfig or a switch may lead a context name to
   * another server or credentials); a context is 'unknown' again until its next request settles.
   */
  forgetOutcomes(): void {
    this._generation++;
    this._outcomes.clear();
  }

  health(context: string): ClusterHealth {
    const outcome = this._outcomes.get(context) ?? { state: 'unknown' as const };
    return (this._slowRows.get(context)?.size ?? 0) > 0 ? { ...outcome, state: 'slow' } : outcome;
  }

  isSlow(context: string, row: string): boolean {
    return this._slowRows.get(context)?.has(row) === true;
  }

  /** Follows `request`, made for `row` in `context`; returns it unchanged. */
  track<T>(context: string, row: string, request: Promise<T>): Promise<T> {
    let slow = false;
    const generation = this._generation;
    const timer = this._options.clock.setTimeout(() => {
      slow = true;
      const rows = this._slowRows.get(context) ?? new Map<string, number>();
      rows.set(row, (rows.get(row) ?? 0) + 1);
      this._slowRows.set(context, rows);
      this._options.onDidChange({ context, row });
    }, this._options.slowAfterMs);
    const settle = (outcome: ClusterHealth | undefined) => {
      this._options.clock.clearTimeout(timer);
      const before = this.health(context);
      if (slow) {
        const rows = this._slowRows.get(context);
        const left = (rows?.get(row) ?? 1) - 1;
        if (left > 0) {
          rows?.set(row, left);
        } else {
          rows?.delete(row);
        }
      }
      if (outcome !== undefined && generation === this._generation) {
        this._outcomes.set(context, outcome);
      }
      if (slow || !sameHealth(before, this.health(context))) {
        this._options.onDidChange({ context, ...(slow ? { row } : {}) });
      }
    };
    request.then(
      () => settle({ state: 'reachable' }),
      (e: unknown) => {
        const state = healthAfterFailure(e);
        if (state !== undefined) {
          settle({ state, code: (e as { code: string }).code, message: (e as Error).message, ...(isTokenError(e) && e.hint !== undefined ? { hint: e.hint } : {}) });
        } else {
          // Cancelled: says nothing. Any other failure is an answer from the server.
          settle(isTokenError(e) && e.code === 'ERR_CANCELLED' ? undefined : { state: 'reachable' });
        }
      },
    );
    return request;
  }
}

function sameHealth(a: ClusterHealth, b: ClusterHealth): boolean {
  return a.state === b.state && a.code === b.code && a.message === b.message;
}
