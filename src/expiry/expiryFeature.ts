import { formatTimeLeft, timeLeft } from '../core/expiry/expiry';
import { isTokenError } from '../core/errors';
import { firstRetryDelayMs, isBoundObjectGone, isTransientRenewalError, nextRetryAt } from '../core/expiry/renewalPolicy';
import { localExpiresAt, clockSkewOf } from '../core/expiry/trackedTokens';
import { Disposable } from '../platform/disposable';
import { describeError } from '../core/logLine';
import { describeClusterChange, type ClusterChange } from '../core/expiry/clusterIdentity';
import type { Log } from '../platform/log';
import type { StoredTokenMeta, TokenStore } from '../platform/tokenStore';
import type { Prompter } from '../platform/prompter';
import type { ExpiryTracker, TokenTransition } from './expiryTracker';
import type { RenewAttempt, TokenRenewer } from './tokenRenewer';

export const actions = {
  renew: 'Renew',
  copyNew: 'Copy New Token',
  dismiss: 'Dismiss',
  retry: 'Retry',
  requestNew: 'Request New Token',
  renewNow: 'Renew Now',
  turnOffAutoRenew: 'Turn Off Auto-Renew',
  renewAgainstNew: 'Renew Against New Server',
} as const;

/** The outcome of a user-requested renewal (returned by the command, for tests; never the token). */
export type RenewOutcome =
  | { readonly ok: true; readonly id: string; readonly jti?: string; readonly expiresAt: number }
  | {
    readonly ok: false;
    readonly id: string;
    readonly code?: string;
    readonly message: string;
    readonly boundObjectGone: boolean;
    /** Not a failure to mint: another window is renewing it, or the user declined renewing on a changed cluster. */
    readonly reason?: 'busy' | 'cluster-changed';
  };

/** "ci-bot (build, sandbox-admin)": enough to tell tokens apart in a message. */
export function tokenLabel(meta: StoredTokenMeta): string {
  return `${meta.serviceAccount} (namespace ${meta.namespace}, context ${meta.context})`;
}

/** What the feature asks of VS Code, injected so the controller runs in plain Node tests. */
export interface ExpiryHost {
  copyToClipboard(text: string): Promise<void>;
  /** Opens Request Token for the token's service account. */
  requestNewToken(meta: StoredTokenMeta): Promise<void>;
}

/**
 * Warnings before expiry (once per token), user renewals with clear failure messages, and auto-renew at
 * 80 % of the lifetime with backoff on failure (warned once, never looping). Driven by the tracker's transitions.
 */
export class ExpiryFeature extends Disposable {
  /** `id:expiresAt` of token generations already warned about. */
  private readonly _warned = new Set<string>();
  /** Failed auto-renew attempts of the current generation, by id. */
  private readonly _attempts = new Map<string, { expiresAt: number; count: number; warned: boolean }>();
  /** When each token was last auto-renewed (local ms): a renewal due again right away means something is off. */
  private readonly _lastAutoRenew = new Map<string, number>();

  constructor(
    private readonly _store: TokenStore,
    private readonly _tracker: ExpiryTracker,
    private readonly _renewer: TokenRenewer,
    private readonly _prompter: () => Prompter,
    private readonly _log: Pick<Log, 'info' | 'warn' | 'error'>,
    private readonly _host: ExpiryHost,
  ) {
    super();
    this._register(_tracker.onDidTransition((t) => this._onTransition(t)));
    this._register(_store.onDidChange(() => this._forgetGone()));
  }

  /** User-requested renewal with messages; `copy` puts the new token on the clipboard. */
  async renewInteractive(id: string, copy = false): Promise<RenewOutcome> {
    const meta = this._store.get(id);
    try {
      const attempt = await this._prompter().progress(`Renewing the token for ${meta === undefined ? id : tokenLabel(meta)}…`, () =>
        this._renewer.renew(id, { confirmClusterChange: (change) => this._confirmClusterChange(change) }));
      if (attempt.kind === 'busy' || attempt.kind === 'cluster-changed') {
        return this._notRenewed(id, meta, attempt);
      }
      if (attempt.kind === 'renewed-elsewhere') {
        return success(attempt.meta); // only auto-renew names a generation, so not reached from here
      }
      const { renewal } = attempt;
      const left = formatTimeLeft(timeLeft(renewal.meta.expiresAt, this._tracker.now(), clockSkewOf(renewal.meta)));
      if (copy) {
        await this._host.copyToClipboard(renewal.token);
      }
      this._log.info(`Renewed the token for ${tokenLabel(renewal.meta)}; new jti ${renewal.meta.jti ?? '(none)'}.`);
      void this._prompter().message('info', copy
        ? `Renewed the token for ${renewal.meta.serviceAccount} and copied the new token to the clipboard. It expires in ${left}.`
        : `Renewed the token for ${renewal.meta.serviceAccount}. The new token expires in ${left}.`, {}, []);
      return success(renewal.meta);
    } catch (error) {
      const outcome = failure(id, error, meta);
      this._log.error(`Renewing the token for ${meta === undefined ? id : tokenLabel(meta)} failed`, error);
      void this._showFailure(meta, outcome, false);
      return outcome;
    }
  }

  /** The modal before minting on a context that now leads to another cluster. */
  private async _confirmClusterChange(change: ClusterChange): Promise<boolean> {
    const choice = await this._prompter().message('warning', `${describeClusterChange(change)} Renew against ${change.now.server}?`, {
      modal: true,
      detail: 'Context names such as kind-dev, minikube or docker-desktop are reused when a cluster is recreated. The renewed token would belong to the new cluster.',
    }, [actions.renewAgainstNew]);
    return choice === actions.renewAgainstNew;
  }

  private _notRenewed(id: string, meta: StoredTokenMeta | undefined, attempt: RenewAttempt & { kind: 'busy' | 'cluster-changed' }): RenewOutcome {
    const who = meta === undefined ? 'the token' : `the token for ${tokenLabel(meta)}`;
    if (attempt.kind === 'cluster-changed') {
      const message = `Did not renew ${who}: ${describeClusterChange(attempt.change)}`;
      this._log.info(message);
      return { ok: false, id, message, boundObjectGone: false, reason: 'cluster-changed' };
    }
    const message = `Another VS Code window is renewing ${who} right now; its new token appears here as soon as it is stored.`;
    this._log.info(message);
    void this._prompter().message('info', message, {}, []);
    return { ok: false, id, message, boundObjectGone: false, reason: 'busy' };
  }

  private _onTransition({ meta, event }: TokenTransition): void {
    if (event === 'renew-due') {
      void this._autoRenew(meta.id);
      return;
    }
    const key = `${meta.id}:${meta.expiresAt}`;
    // Auto-renewing tokens are renewed before the warning matters; they warn only once renewal has failed.
    if (this._warned.has(key) || (meta.autoRenew === true && this._attempts.get(meta.id) === undefined && event === 'warning')) {
      return;
    }
    this._warned.add(key);
    const left = formatTimeLeft(localExpiresAt(meta) - this._tracker.now());
    const message = event === 'expired'
      ? `The token for ${tokenLabel(meta)} has expired.`
      : `The token for ${tokenLabel(meta)} expires in ${left}.`;
    void this._prompter().message('warning', message, {}, [actions.renew, actions.copyNew, actions.dismiss]).then(async (choice) => {
      if (choice === actions.renew || choice === actions.copyNew) {
        await this.renewInteractive(meta.id, choice === actions.copyNew);
      }
    });
  }

  private async _autoRenew(id: string): Promise<void> {
    const meta = this._store.get(id);
    if (meta === undefined || meta.autoRenew !== true || this._renewer.isRenewing(id)) {
      return;
    }
    const last = this._lastAutoRenew.get(id);
    if (last !== undefined && this._tracker.now() - last < firstRetryDelayMs) {
      // A fresh token already due again (a server capping lifetimes to nothing, a runaway clock): stop, never loop.
      this._log.warn(`Auto-renew of the token for ${tokenLabel(meta)} is due again right after renewing; auto-renew paused for this token.`);
      this._tracker.setRenewOverride(id, 'off');
      return;
    }
    try {
      const attempt = await this._renewer.renew(id, { generation: meta });
      if (attempt.kind !== 'renewed') {
        this._autoRenewSkipped(meta, attempt);
        return;
      }
      const { renewal } = attempt;
      this._attempts.delete(id);
      this._lastAutoRenew.set(id, this._tracker.now());
      this._log.info(`Auto-renewed the token for ${tokenLabel(renewal.meta)}; new jti ${renewal.meta.jti ?? '(none)'}.`);
    } catch (error) {
      const current = this._store.get(id);
      if (current === undefined) {
        return; // forgotten meanwhile
      }
      const outcome = failure(id, error, current);
      const previous = this._attempts.get(id);
      const state = previous !== undefined && previous.expiresAt === current.expiresAt ? previous : { expiresAt: current.expiresAt, count: 0, warned: false };
      state.count++;
      this._attempts.set(id, state);
      const now = this._tracker.now();
      const retryAt = !outcome.ok && !outcome.boundObjectGone && isTransientRenewalError(outcome.code) ? nextRetryAt(now, state.count, localExpiresAt(current)) : undefined;
      this._log.warn(`Auto-renew of the token for ${tokenLabel(current)} failed (attempt ${state.count}): ${outcome.ok ? '' : outcome.message}${retryAt === undefined ? '; giving up for this token.' : `; retrying in ${formatTimeLeft(retryAt - now)}.`}`);
      // 'off' stops auto-renew for this generation only: never a loop on a permanent failure.
      this._tracker.setRenewOverride(id, retryAt ?? 'off');
      if (!state.warned) {
        state.warned = true;
        void this._showFailure(current, outcome, true, retryAt === undefined ? undefined : retryAt - now);
      }
    }
  }

  /** Auto-renew that did not mint: another window renews (or did), or the context leads to another cluster now. */
  private _autoRenewSkipped(meta: StoredTokenMeta, attempt: Exclude<RenewAttempt, { kind: 'renewed' }>): void {
    if (attempt.kind === 'renewed-elsewhere') {
      this._log.info(`The token for ${tokenLabel(meta)} was renewed in another window.`);
      return;
    }
    if (attempt.kind === 'busy') {
      // Normally the other window's token arrives first and starts a new generation; if it never does, try again then.
      const retryAt = Math.min(attempt.until ?? this._tracker.now() + firstRetryDelayMs, localExpiresAt(meta));
      this._log.info(`Another window is renewing the token for ${tokenLabel(meta)}; this window waits for its new token.`);
      if (this._store.get(meta.id)?.expiresAt === meta.expiresAt) { // its token may have arrived already
        this._tracker.setRenewOverride(meta.id, retryAt);
      }
      return;
    }
    const reason = describeClusterChange(attempt.change);
    this._log.warn(`Auto-renew of the token for ${tokenLabel(meta)} stopped: ${reason}`);
    if (this._store.get(meta.id)?.expiresAt === meta.expiresAt) {
      this._tracker.setRenewOverride(meta.id, 'off'); // this generation only: never a loop, and a renewal starts afresh
    }
    const key = `cluster-changed:${meta.id}:${meta.expiresAt}`;
    if (this._warned.has(key)) {
      return;
    }
    this._warned.add(key);
    void this._prompter().message('warning', `Auto-renew of the token for ${tokenLabel(meta)} stopped: ${reason} Renew Now asks before renewing there.`, {}, [actions.renewNow, actions.turnOffAutoRenew])
      .then(async (choice) => {
        if (choice === actions.renewNow) {
          await this.renewInteractive(meta.id);
        } else if (choice === actions.turnOffAutoRenew && this._store.get(meta.id) !== undefined) {
          await this._store.update(meta.id, { autoRenew: false });
        }
      });
  }

  private async _showFailure(meta: StoredTokenMeta | undefined, outcome: RenewOutcome, auto: boolean, retryInMs?: number): Promise<void> {
    if (outcome.ok) {
      return;
    }
    const who = meta === undefined ? 'the token' : `the token for ${tokenLabel(meta)}`;
    if (outcome.boundObjectGone && meta?.boundObject !== undefined) {
      const bound = meta.boundObject;
      const message = `${auto ? 'Auto-renew stopped: cannot' : 'Cannot'} renew ${who}: the ${bound.kind} "${bound.name}" it is bound to no longer exists (or was recreated with a new uid), so the same token cannot be issued again. Request a new token bound to another object.`;
      const choice = await this._prompter().message('error', message, {}, [actions.requestNew]);
      if (choice === actions.requestNew) {
        await this._host.requestNewToken(meta);
      }
      return;
    }
    if (auto) {
      const message = retryInMs === undefined
        ? `Auto-renew of ${who} failed and will not be retried: ${outcome.message}`
        : `Auto-renew of ${who} failed: ${outcome.message} Retrying in ${formatTimeLeft(retryInMs)}.`;
      const choice = await this._prompter().message('warning', message, {}, [actions.renewNow, actions.turnOffAutoRenew]);
      if (choice === actions.renewNow && meta !== undefined) {
        await this.renewInteractive(meta.id);
      } else if (choice === actions.turnOffAutoRenew && meta !== undefined && this._store.get(meta.id) !== undefined) {
        await this._store.update(meta.id, { autoRenew: false });
      }
      return;
    }
    const choice = await this._prompter().message('error', `Could not renew ${who}: ${outcome.message}`, {}, [actions.retry]);
    if (choice === actions.retry && meta !== undefined) {
      await this.renewInteractive(meta.id);
    }
  }

  private _forgetGone(): void {
    const ids = new Set(this._store.list().map((m) => m.id));
    for (const map of [this._attempts, this._lastAutoRenew]) {
      for (const id of [...map.keys()]) {
        if (!ids.has(id)) {
          map.delete(id);
        }
      }
    }
  }
}

function success(meta: StoredTokenMeta): RenewOutcome {
  return { ok: true, id: meta.id, expiresAt: meta.expiresAt, ...(meta.jti !== undefined ? { jti: meta.jti } : {}) };
}

function failure(id: string, error: unknown, meta: StoredTokenMeta | undefined): RenewOutcome & { ok: false } {
  const code = isTokenError(error) ? error.code : undefined;
  const hint = isTokenError(error) && error.hint !== undefined ? ` ${error.hint}` : '';
  return {
    ok: false,
    id,
    ...(code !== undefined ? { code } : {}),
    message: `${describeError(error)}${hint}`,
    boundObjectGone: isTokenError(error) && isBoundObjectGone(error, meta?.request.boundObject ?? meta?.boundObject),
  };
}
