import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import { Emitter } from './events';
import { secretKeys, stateKeys } from '../constants';
import { nextPruneAt, tokensToPrune } from '../core/expiry/tokenPruning';
import { Disposable } from './disposable';
import { isStoredTokenMeta, TokenLedger } from './tokenLedger';
import type { StoredTokenMeta, TokenStore } from './tokenStore';

/** Where and how the store keeps things; injected so tests can open more stores over the same storage (windows, reloads). */
export interface SecretTokenStoreOptions {
  readonly secrets: vscode.SecretStorage;
  /** globalState: only read for the index earlier versions kept there, which is migrated to the ledger and cleared. */
  readonly state: vscode.Memento;
  /** The token ledger's folder (see TokenLedger), shared by every window. */
  readonly ledgerDir: string;
  /** Fires when a file in the ledger's folder changes (a file watcher; optional, SecretStorage events also tell). */
  readonly ledgerChanges?: vscode.Event<unknown>;
  /** `saTokens.sessionOnlyTokens`: tokens stay in memory only. Read at every start and every write. */
  readonly sessionOnly: () => boolean;
  /** `saTokens.expiredTokenGraceMinutes`: expired tokens are pruned this long after `exp`. */
  readonly graceMinutes: () => number;
  readonly now?: () => number;
  readonly onError?: (message: string, error: unknown) => void;
}

/** A pruning timer never sleeps longer than this (setTimeout caps at ~24.8 days, and clocks jump). */
const maxPruneDelayMs = 60 * 60 * 1000;
/** A temp file older than this was left by a window that stopped in the middle of writing it. */
const abandonedWriteMs = 60_000;
/** Forgotten marks outlive the windows that may still hold the token in memory and try to renew it. */
const forgottenMarkMs = 24 * 60 * 60 * 1000;

/** SecretStorage can list its keys in newer VS Code versions than the 1.101 this extension supports. */
type ListingSecretStorage = vscode.SecretStorage & { keys?: () => Thenable<readonly string[]> };

/**
 * TokenStore over VS Code SecretStorage, correct with any number of windows at once.
 *
 * - Each token is under `saTokens.token/<id>` in SecretStorage; its metadata is a file of the TokenLedger
 *   (never in globalState: see TokenLedger). An entry is written before its secret and removed after it, so
 *   the ledger names every secret the store may have written.
 * - Forgetting marks the id forgotten first, then deletes the secret, then the entry. A write in another
 *   window (renewal, auto-renew flag) checks the mark after writing and undoes itself, so forgetting wins
 *   and leaves nothing behind, whatever the interleaving.
 * - Other windows learn of every change through `SecretStorage.onDidChange` (the token's key, or the
 *   `tokensChanged` nonce) and a watcher on the ledger's folder, and re-read the ledger.
 * - At start-up and on Forget All the store sweeps: it finishes interrupted forgets and, where SecretStorage
 *   can list its keys, deletes token secrets no entry names.
 * - Session-only tokens (setting) live in memory with their metadata. While the setting is on, the store
 *   moves every stored token to memory at start-up, before each write and when another window stores one.
 */
export class SecretTokenStore extends Disposable implements TokenStore {
  private readonly _onDidChange = this._register(new Emitter<void>());
  readonly onDidChange = this._onDidChange.event;
  /** Settles when the start-up work (migration, sweep, session-only, pruning) is done. Never rejects. */
  readonly ready: Promise<void>;

  private readonly _ledger: TokenLedger;
  private _persisted: StoredTokenMeta[];
  private readonly _session = new Map<string, { meta: StoredTokenMeta; token: string }>();
  private _pruneTimer: ReturnType<typeof setTimeout> | undefined;
  private _moves: Promise<void> = Promise.resolve();

  constructor(private readonly _options: SecretTokenStoreOptions) {
    super();
    this._ledger = new TokenLedger(_options.ledgerDir);
    this._persisted = this._readPersisted();
    this._register(_options.secrets.onDidChange((e) => {
      if (e.key.startsWith(secretKeys.tokenPrefix) || e.key === secretKeys.tokensChanged) {
        this._reload();
      }
    }));
    if (_options.ledgerChanges !== undefined) {
      this._register(_options.ledgerChanges(() => this._reload()));
    }
    this._register({ dispose: () => clearTimeout(this._pruneTimer) });
    this.ready = this._start();
  }

  list(): readonly StoredTokenMeta[] {
    return [...this._persisted.filter((m) => !this._session.has(m.id)), ...[...this._session.values()].map((s) => s.meta)];
  }

  get(id: string): StoredTokenMeta | undefined {
    return this._session.get(id)?.meta ?? this._persisted.find((m) => m.id === id);
  }

  async getToken(id: string): Promise<string | undefined> {
    const session = this._session.get(id);
    if (session !== undefined) {
      return session.token;
    }
    if (!this._persisted.some((m) => m.id === id)) {
      return undefined;
    }
    return this._options.secrets.get(secretKeys.tokenPrefix + id);
  }

  async add(meta: Omit<StoredTokenMeta, 'id'>, token: string): Promise<StoredTokenMeta> {
    const stored = withoutToken(randomUUID(), meta);
    await this._honourSessionOnly();
    if (this._options.sessionOnly()) {
      this._session.set(stored.id, { meta: stored, token });
    } else {
      this._ledger.write(stored);
      try {
        await this._options.secrets.store(secretKeys.tokenPrefix + stored.id, token);
      } catch (e) {
        this._ledger.removeEntry(stored.id);
        throw e;
      }
      this._refresh();
    }
    this._onDidChange.fire();
    this._safePrune();
    return stored;
  }

  /** Renewal. A token in memory stays there; a stored one stays stored unless the session-only setting is on. */
  async replace(id: string, meta: Omit<StoredTokenMeta, 'id'>, token: string): Promise<StoredTokenMeta> {
    if (!this._session.has(id) && (this.get(id) === undefined || this._ledger.isForgotten(id))) {
      throw notStored(id);
    }
    const stored = withoutToken(id, meta);
    await this._honourSessionOnly();
    if (this._session.has(id) || this._options.sessionOnly()) {
      this._session.set(id, { meta: stored, token });
    } else {
      this._ledger.write(stored);
      await this._options.secrets.store(secretKeys.tokenPrefix + id, token);
      if (this._ledger.isForgotten(id)) {
        // Forgotten meanwhile (maybe in another window): forgetting wins, the new token is not kept.
        await this._forgetPersisted(id);
        this._refresh();
        this._onDidChange.fire();
        throw notStored(id);
      }
      this._refresh();
    }
    this._onDidChange.fire();
    this._safePrune();
    return stored;
  }

  async update(id: string, patch: Partial<Pick<StoredTokenMeta, 'autoRenew'>>): Promise<void> {
    await this._honourSessionOnly();
    const session = this._session.get(id);
    const entry = this._ledger.entry(id);
    if (session !== undefined) {
      session.meta = { ...session.meta, ...patch };
    } else if (entry !== undefined && !this._ledger.isForgotten(id)) {
      this._ledger.write({ ...entry, ...patch });
      if (this._ledger.isForgotten(id)) {
        this._ledger.removeEntry(id);
      }
      this._refresh();
      await this._announce();
    }
    this._onDidChange.fire();
  }

  async forget(id: string): Promise<void> {
    await this._forget([id]);
  }

  /** Forgets every token any window stored (the ledger as it is now, not this window's view), then sweeps. */
  async forgetAll(): Promise<void> {
    const ids = new Set([...this.list().map((m) => m.id), ...this._ledger.entries().map((m) => m.id)]);
    await this._forget([...ids]);
    await this._sweep();
  }

  /**
   * `saTokens.sessionOnlyTokens` on: moves stored tokens into memory and deletes them from SecretStorage,
   * so nothing stays on disk. Turning it off keeps session tokens in memory.
   */
  moveToSession(): Promise<void> {
    // One move at a time: a second caller waits for the running one, then moves what is left.
    const run = this._moves.then(() => this._moveToSession());
    this._moves = run.catch(() => undefined);
    return run;
  }

  /** Forgets tokens expired for longer than the grace period, then schedules the next check. */
  async prune(): Promise<string[]> {
    clearTimeout(this._pruneTimer);
    const graceMs = this._options.graceMinutes() * 60_000;
    const now = this._now();
    const ids = tokensToPrune(this.list(), now, graceMs);
    if (ids.length > 0) {
      await this._forget(ids);
    }
    const next = nextPruneAt(this.list(), graceMs);
    if (next !== undefined && !this.isDisposed) {
      this._pruneTimer = setTimeout(() => this._safePrune(), Math.min(Math.max(next - now, 1000), maxPruneDelayMs));
    }
    return ids;
  }

  private async _start(): Promise<void> {
    try {
      await this._migrateLegacyIndex();
      if (!this.isDisposed) {
        await this._sweep();
      }
      if (!this.isDisposed) {
        await this._honourSessionOnly();
      }
    } catch (e) {
      this._options.onError?.('Could not check the stored tokens', e);
    }
    if (this._refresh()) {
      this._onDidChange.fire();
    }
    if (!this.isDisposed) {
      this._safePrune();
    }
  }

  private async _moveToSession(): Promise<void> {
    const persisted = this._readPersisted();
    for (const meta of persisted) {
      const token = await this._options.secrets.get(secretKeys.tokenPrefix + meta.id);
      if (token !== undefined) {
        this._session.set(meta.id, { meta, token });
      }
      await this._forgetPersisted(meta.id);
    }
    if (this._refresh() || persisted.length > 0) {
      this._onDidChange.fire();
    }
  }

  private async _honourSessionOnly(): Promise<void> {
    if (this._options.sessionOnly() && this._readPersisted().length > 0) {
      await this.moveToSession();
    }
  }

  private _safePrune(): void {
    this.prune().catch((e: unknown) => this._options.onError?.('Could not prune expired tokens', e));
  }

  private async _forget(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    const persisted = new Set(this._readPersisted().map((m) => m.id));
    for (const id of ids) {
      this._session.delete(id);
    }
    const onDisk = ids.filter((id) => persisted.has(id) || this._ledger.entry(id) !== undefined);
    await Promise.all(onDisk.map((id) => this._forgetPersisted(id)));
    this._refresh();
    this._onDidChange.fire();
  }

  /** Mark, secret, entry: in this order, so a write racing with it in any window sees the mark after its own write. */
  private async _forgetPersisted(id: string): Promise<void> {
    this._ledger.markForgotten(id, this._now());
    await this._options.secrets.delete(secretKeys.tokenPrefix + id);
    this._ledger.removeEntry(id);
    await this._announce();
  }

  /** Tells the other windows to re-read the ledger (its files have no change event of their own). */
  private async _announce(): Promise<void> {
    await this._options.secrets.store(secretKeys.tokensChanged, randomUUID());
  }

  /**
   * Finishes forgets a window stopped in the middle of, and deletes token secrets no entry names (only
   * where SecretStorage lists its keys: the ledger names every secret this version writes, but earlier
   * versions lost some from their index). An entry whose secret this window cannot read stays until it
   * expires: where SecretStorage is per window (a browser-hosted workbench keeps it in memory), another
   * open window may hold it.
   */
  private async _sweep(): Promise<void> {
    const { secrets } = this._options;
    const now = this._now();
    for (const { id, at } of this._ledger.forgotten()) {
      await secrets.delete(secretKeys.tokenPrefix + id);
      this._ledger.removeEntry(id);
      if (now - at > forgottenMarkMs) {
        this._ledger.removeForgotten(id);
      }
    }
    const listing = (secrets as ListingSecretStorage).keys;
    if (typeof listing === 'function') {
      // Keys first, ledger second: a secret stored meanwhile had its entry written before it.
      const keys = await listing.call(secrets);
      const named = new Set([...this._ledger.entries().map((m) => m.id), ...readLegacyIndex(this._options.state).map((m) => m.id)]);
      for (const key of keys) {
        if (key.startsWith(secretKeys.tokenPrefix) && !named.has(key.slice(secretKeys.tokenPrefix.length))) {
          await secrets.delete(key);
        }
      }
    }
    this._ledger.removeTempFilesOlderThan(now - abandonedWriteMs);
    this._refresh();
  }

  /**
   * Versions before the ledger kept all metadata in one globalState key: the entries whose secret is still
   * there are copied into the ledger, then the key is cleared.
   */
  private async _migrateLegacyIndex(): Promise<void> {
    if (this._options.state.get<unknown>(stateKeys.tokenIndex) === undefined) {
      return;
    }
    for (const meta of readLegacyIndex(this._options.state)) {
      if (this._ledger.entry(meta.id) === undefined && !this._ledger.isForgotten(meta.id)
        && (await this._options.secrets.get(secretKeys.tokenPrefix + meta.id)) !== undefined) {
        this._ledger.write(meta);
      }
    }
    await this._options.state.update(stateKeys.tokenIndex, undefined);
    this._refresh();
  }

  private _reload(): void {
    if (this._refresh()) {
      this._onDidChange.fire();
      this._safePrune();
    }
    if (this._options.sessionOnly() && this._persisted.length > 0) {
      this.moveToSession().catch((e: unknown) => this._options.onError?.('Could not move stored tokens to memory', e));
    }
  }

  /** Re-reads the ledger; true when the persisted tokens changed. */
  private _refresh(): boolean {
    const before = JSON.stringify(this._persisted);
    this._persisted = this._readPersisted();
    return JSON.stringify(this._persisted) !== before;
  }

  /** The ledger, plus entries of an earlier version's index not migrated yet. */
  private _readPersisted(): StoredTokenMeta[] {
    const entries = this._ledger.entries();
    const ids = new Set(entries.map((m) => m.id));
    const legacy = readLegacyIndex(this._options.state).filter((m) => !ids.has(m.id) && !this._ledger.isForgotten(m.id));
    return [...entries, ...legacy];
  }

  private _now(): number {
    return (this._options.now ?? Date.now)();
  }
}

function readLegacyIndex(state: vscode.Memento): StoredTokenMeta[] {
  const raw = state.get<unknown>(stateKeys.tokenIndex);
  const tokens = typeof raw === 'object' && raw !== null && Array.isArray((raw as { tokens?: unknown }).tokens)
    ? (raw as { tokens: unknown[] }).tokens
    : [];
  return tokens.filter(isStoredTokenMeta);
}

/** The metadata as stored: never a token riding along, whatever the caller passed. */
function withoutToken(id: string, meta: Omit<StoredTokenMeta, 'id'>): StoredTokenMeta {
  const { token: _dropped, ...clean } = meta as Omit<StoredTokenMeta, 'id'> & { token?: unknown };
  return { ...clean, id };
}

function notStored(id: string): Error {
  return new Error(`No stored token with id ${id} (it was forgotten, maybe in another window).`);
}
