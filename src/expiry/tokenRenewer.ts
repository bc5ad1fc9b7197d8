import { decodeToken } from '../core/token/decodeToken';
import { TokenError } from '../core/errors';
import { summarizeIssuedToken } from '../core/token/issuedToken';
import { renewalRequest, tokenBinding } from '../core/expiry/renewal';
import type { BoundObject } from '../core/tokenRequest/tokenRequest';
import { clusterChange, issuerChange, type ClusterChange } from '../core/expiry/clusterIdentity';
import type { ClusterSession } from '../platform/clusterSession';
import { noLeases, type RenewalLeases } from '../platform/renewalLeases';
import type { StoredTokenMeta, TokenStore } from '../platform/tokenStore';
import type { ClusterClient } from '../kube/clusterClient';

/** A renewed token: the new metadata (same id) and the token itself, in memory only (for "Copy New Token"). */
export interface Renewal {
  readonly meta: StoredTokenMeta;
  readonly token: string;
}

/** What a renewal attempt came to. Failures to mint are thrown (TokenErrors); these are the other endings. */
export type RenewAttempt =
  | { readonly kind: 'renewed'; readonly renewal: Renewal }
  /** Another window holds the renewal lease (until, epoch ms, when known): its new token arrives through the store. */
  | { readonly kind: 'busy'; readonly until?: number }
  /** Another window renewed this generation already (seen after taking the lease). */
  | { readonly kind: 'renewed-elsewhere'; readonly meta: StoredTokenMeta }
  /** The context now leads to another cluster, and renewing there was not confirmed. */
  | { readonly kind: 'cluster-changed'; readonly change: ClusterChange };

export interface RenewOptions {
  /** The generation this renewal is for (auto-renew): if the stored one differs once the lease is held, another window renewed it. */
  readonly generation?: Pick<StoredTokenMeta, 'expiresAt' | 'jti'>;
  /** Asked when the context leads to another cluster; without it, such a renewal is not made. */
  readonly confirmClusterChange?: (change: ClusterChange) => Promise<boolean>;
}

/**
 * Re-issues a stored token with the same spec (audiences, lifetime, bound object pinned to its uid) in the
 * context it came from, and swaps it into the store under the same id. The kube module loads only here,
 * through the session, on the first renewal. Before minting it checks that the context still leads to the
 * cluster the token came from, then takes the cross-window renewal lease, so one window renews a token.
 */
export class TokenRenewer {
  private readonly _inFlight = new Map<string, Promise<RenewAttempt>>();

  constructor(
    private readonly _store: TokenStore,
    private readonly _session: Pick<ClusterSession, 'clientFor'>,
    private readonly _now: () => number = Date.now,
    private readonly _leases: RenewalLeases = noLeases,
  ) {}

  isRenewing(id: string): boolean {
    return this._inFlight.has(id);
  }

  /** Renews; a second call while one is running joins it, so a token is never re-issued twice at once. */
  renew(id: string, options: RenewOptions = {}): Promise<RenewAttempt> {
    const running = this._inFlight.get(id);
    if (running !== undefined) {
      return running;
    }
    const renewal = this._renew(id, options).finally(() => this._inFlight.delete(id));
    this._inFlight.set(id, renewal);
    return renewal;
  }

  private async _renew(id: string, options: RenewOptions): Promise<RenewAttempt> {
    const planned = this._current(id);
    // The session's client is built from the kubeconfig as it is now: its cluster is where a TokenRequest would go.
    const client = await this._session.clientFor(planned.context);
    const { clusterName, server } = client.connectionInfo;
    const change = clusterChange(planned.context, { cluster: planned.cluster, server: planned.server }, { cluster: clusterName, server });
    if (change !== undefined && (options.confirmClusterChange === undefined || !(await options.confirmClusterChange(change)))) {
      return { kind: 'cluster-changed', change };
    }
    const lease = await this._leases.acquire(id);
    if (!lease.acquired) {
      return { kind: 'busy', ...(lease.until !== undefined ? { until: lease.until } : {}) };
    }
    try {
      const old = this._current(id);
      const generation = options.generation;
      if (generation !== undefined && (old.expiresAt !== generation.expiresAt || old.jti !== generation.jti)) {
        return { kind: 'renewed-elsewhere', meta: old };
      }
      return { kind: 'renewed', renewal: await this._mint(old, client, { cluster: clusterName, server }) };
    } finally {
      await lease.release();
    }
  }

  private _current(id: string): StoredTokenMeta {
    const meta = this._store.get(id);
    if (meta === undefined) {
      throw new TokenError('ERR_NOT_FOUND', 'This token is no longer tracked (it was forgotten, maybe in another window).');
    }
    return meta;
  }

  /** Issues the same spec again; the metadata records the cluster it really came from. */
  private async _mint(old: StoredTokenMeta, client: ClusterClient, cluster: { cluster: string; server: string }): Promise<Renewal> {
    const oldToken = await this._store.getToken(old.id);
    const request = renewalRequest(old.request, await this._knownBinding(old, oldToken));
    const requestStart = this._now();
    const result = await client.createToken(request);
    const responseEnd = this._now();
    const changedIssuer = issuerChange(old.context, issuerOf(oldToken), issuerOf(result.token));
    if (changedIssuer !== undefined) {
      throw new TokenError('ERR_ISSUER_CHANGED', changedIssuer);
    }
    const { meta } = summarizeIssuedToken(
      request,
      {
        token: result.token,
        spec: { expirationSeconds: result.tokenRequest.spec.expirationSeconds, audiences: result.tokenRequest.spec.audiences },
        expirationTimestamp: result.tokenRequest.status.expirationTimestamp,
        ...(result.serverDate !== undefined ? { serverDate: result.serverDate } : {}),
      },
      { context: old.context, ...cluster },
      { requestStart, responseEnd },
    );
    const renewed = await this._store.replace(old.id, { ...meta, ...(old.autoRenew === true ? { autoRenew: true } : {}) }, result.token);
    return { meta: renewed, token: result.token };
  }

  /** The bound object with its uid: from the old token's own claims when the request did not pin it. */
  private _knownBinding(old: StoredTokenMeta, token: string | undefined): BoundObject | undefined {
    if (old.request.boundObject === undefined || (old.request.boundObject.uid ?? '') !== '') {
      return old.boundObject;
    }
    if (old.boundObject?.uid !== undefined && old.boundObject.uid !== '') {
      return old.boundObject;
    }
    if (token === undefined) {
      return old.boundObject;
    }
    try {
      return tokenBinding(decodeToken(token).claims) ?? old.boundObject;
    } catch {
      return old.boundObject; // not a JWT: the server will judge the request as it is
    }
  }
}

/** A token's `iss` claim, or undefined when it is not a JWT or has none. */
function issuerOf(token: string | undefined): unknown {
  if (token === undefined) {
    return undefined;
  }
  try {
    return decodeToken(token).claims.iss;
  } catch {
    return undefined;
  }
}
