import { formatTimeLeft, timeLeft } from '../core/expiry/expiry';
import { isTokenError } from '../core/errors';
import { firstRetryDelayMs, isBoundObjectGone, isTransientRenewalError, nextRetryAt } from '../core/expiry/renewalPolicy';
import { localExpiresAt, clockSkewOf } from '../core/expiry/trackedTokens';
import { Disposable } from '../platform/disposable';
import { describeError } from '../core/logLine';
import type { Log } from '../platform/log';
import type { StoredTokenMeta, TokenStore } from '../platform/tokenStore';
import type { Prompter } from '../platform/prompter';
import type { ExpiryTracker, TokenTransition } from './expiryTracker';
import type { Renewal, TokenRenewer } from './tokenRenewer';

export const actions = {
  renew: 'Renew',
  copyNew: 'Copy New Token',
  dismiss: 'Dismiss',
  retry: 'Retry',
  requestNew: 'Request New Token',
  renewNow: 'Renew Now',
  turnOffAutoRenew: 'Turn Off Auto-Renew',
} as const;

/** The outcome of a user-requested renewal (returned by the command, for tests; never the token). */
export type RenewOutcome =
  | { readonly ok: true; readonly id: string; readonly jti?: string; readonly expiresAt: number }
  | { readonly ok: false; readonly id: string; readonly code?: string; readonly message: string; readonly boundObjectGone: boolean };

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
      const renewal = await this._renewer.renew(id);
      const left = formatTimeLeft(timeLeft(renewal.meta.expiresAt, this._tracker.now(), clockSkewOf(renewal.meta)));
      if (copy) {
        await this._host.copyToClipboard(renewal.token);
      }
      this._log.info(`Renewed the token for ${tokenLabel(renewal.meta)}; new jti ${renewal.meta.jti ?? '(none)'}.`);
      void this._prompter().message('info', copy
        ? `Renewed the token for ${renewal.meta.serviceAccount} and copied the new token to the clipboard. It expires in ${left}.`
        : `Renewed the token for ${renewal.meta.serviceAccount}. The new token expires in ${left}.`, {}, []);
      return success(renewal);
    } catch (error) {
      const outcome = failure(id, error, meta);
      this._log.error(`Renewing the token for ${meta === undefined ? id : tokenLabel(meta)} failed`, error);
      void this._showFailure(meta, outcome, false);
      return outcome;
    }
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
      const renewal = await this._renewer.renew(id);
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

function success(renewal: Renewal): RenewOutcome {
  return { ok: true, id: renewal.meta.id, expiresAt: renewal.meta.expiresAt, ...(renewal.meta.jti !== undefined ? { jti: renewal.meta.jti } : {}) };
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
