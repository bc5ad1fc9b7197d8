import { decodeToken } from '../core/token/decodeToken';
import { TokenError } from '../core/errors';
import { summarizeIssuedToken } from '../core/token/issuedToken';
import { renewalRequest, tokenBinding } from '../core/expiry/renewal';
import type { BoundObject } from '../core/tokenRequest/tokenRequest';
import type { ClusterSession } from '../platform/clusterSession';
import type { StoredTokenMeta, TokenStore } from '../platform/tokenStore';

/** A renewed token: the new metadata (same id) and the token itself, in memory only (for "Copy New Token"). */
export interface Renewal {
  readonly meta: StoredTokenMeta;
  readonly token: string;
}

/**
 * Re-issues a stored token with the same spec (audiences, lifetime, bound object pinned to its uid) in the
 * context it came from, and swaps it into the store under the same id. The kube module loads only here,
 * through the session, on the first renewal.
 */
export class TokenRenewer {
  private readonly _inFlight = new Map<string, Promise<Renewal>>();

  constructor(
    private readonly _store: TokenStore,
    private readonly _session: Pick<ClusterSession, 'clientFor'>,
    private readonly _now: () => number = Date.now,
  ) {}

  isRenewing(id: string): boolean {
    return this._inFlight.has(id);
  }

  /** Renews; a second call while one is running joins it, so a token is never re-issued twice at once. */
  renew(id: string): Promise<Renewal> {
    const running = this._inFlight.get(id);
    if (running !== undefined) {
      return running;
    }
    const renewal = this._renew(id).finally(() => this._inFlight.delete(id));
    this._inFlight.set(id, renewal);
    return renewal;
  }

  private async _renew(id: string): Promise<Renewal> {
    const old = this._store.get(id);
    if (old === undefined) {
      throw new TokenError('ERR_NOT_FOUND', 'This token is no longer tracked (it was forgotten, maybe in another window).');
    }
    const request = renewalRequest(old.request, await this._knownBinding(old));
    const client = await this._session.clientFor(old.context);
    const requestStart = this._now();
    const result = await client.createToken(request);
    const responseEnd = this._now();
    const { meta } = summarizeIssuedToken(
      request,
      {
        token: result.token,
        spec: { expirationSeconds: result.tokenRequest.spec.expirationSeconds, audiences: result.tokenRequest.spec.audiences },
        expirationTimestamp: result.tokenRequest.status.expirationTimestamp,
        ...(result.serverDate !== undefined ? { serverDate: result.serverDate } : {}),
      },
      { context: old.context, cluster: old.cluster, server: old.server },
      { requestStart, responseEnd },
    );
    const renewed = await this._store.replace(id, { ...meta, ...(old.autoRenew === true ? { autoRenew: true } : {}) }, result.token);
    return { meta: renewed, token: result.token };
  }

  /** The bound object with its uid: from the old token's own claims when the request did not pin it. */
  private async _knownBinding(old: StoredTokenMeta): Promise<BoundObject | undefined> {
    if (old.request.boundObject === undefined || (old.request.boundObject.uid ?? '') !== '') {
      return old.boundObject;
    }
    if (old.boundObject?.uid !== undefined && old.boundObject.uid !== '') {
      return old.boundObject;
    }
    const token = await this._store.getToken(old.id);
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
