import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import { Emitter } from './events';
import { secretKeys, stateKeys } from '../constants';
import { nextPruneAt, tokensToPrune } from '../core/expiry/tokenPruning';
import { Disposable } from './disposable';
import type { StoredTokenMeta, TokenStore } from './tokenStore';

/** Where and how the store keeps things; injected so tests can open a second store over the same storage (a "reload"). */
export interface SecretTokenStoreOptions {
  readonly secrets: vscode.SecretStorage;
  /** globalState: the metadata index (never a token). */
  readonly state: vscode.Memento;
  /** `saTokens.sessionOnlyTokens`: new tokens stay in memory only. */
  readonly sessionOnly: () => boolean;
  /** `saTokens.expiredTokenGraceMinutes`: expired tokens are pruned this long after `exp`. */
  readonly graceMinutes: () => number;
  readonly now?: () => number;
  readonly onError?: (message: string, error: unknown) => void;
}

interface TokenIndex {
  readonly version: 1;
  readonly tokens: StoredTokenMeta[];
}

/** A pruning timer never sleeps longer than this (setTimeout caps at ~24.8 days, and clocks jump). */
const maxPruneDelayMs = 60 * 60 * 1000;

/**
 * TokenStore over VS Code SecretStorage: each token under `saTokens.token/<id>`, and a metadata index
 * in globalState that never contains a token. Session-only tokens (setting) live in memory with their
 * metadata. Other windows' changes arrive through `SecretStorage.onDidChange`, after which the index
 * is re-read.
 */
export class SecretTokenStore extends Disposable implements TokenStore {
  private readonly _onDidChange = this._register(new Emitter<void>());
  readonly onDidChange = this._onDidChange.event;

  private _persisted: StoredTokenMeta[];
  private readonly _session = new Map<string, { meta: StoredTokenMeta; token: string }>();
  private _pruneTimer: ReturnType<typeof setTimeout> | undefined;
  private _retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Serializes index writes, so two quick adds cannot overwrite each other's entry. */
  private _writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly _options: SecretTokenStoreOptions) {
    super();
    this._persisted = this._readIndex();
    this._register(_options.secrets.onDidChange((e) => {
      if (e.key.startsWith(secretKeys.tokenPrefix)) {
        this._reloadIndex(e.key.slice(secretKeys.tokenPrefix.length));
      }
    }));
    this._register({ dispose: () => {
      clearTimeout(this._pruneTimer);
      clearTimeout(this._retryTimer);
    } });
    this._safePrune();
  }

  list(): readonly StoredTokenMeta[] {
    return [...this._persisted, ...[...this._session.values()].map((s) => s.meta)];
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
    return this._put(randomUUID(), meta, token);
  }

  async replace(id: string, meta: Omit<StoredTokenMeta, 'id'>, token: string): Promise<StoredTokenMeta> {
    if (this.get(id) === undefined) {
      throw new Error(`No stored token with id ${id}.`);
    }
    return this._put(id, meta, token);
  }

  async update(id: string, patch: Partial<Pick<StoredTokenMeta, 'autoRenew'>>): Promise<void> {
    const session = this._session.get(id);
    if (session !== undefined) {
      session.meta = { ...session.meta, ...patch };
    } else {
      await this._mutateIndex((tokens) => tokens.map((m) => (m.id === id ? { ...m, ...patch } : m)));
    }
    this._onDidChange.fire();
  }

  async forget(id: string): Promise<void> {
    await this._forget([id]);
  }

  async forgetAll(): Promise<void> {
    await this._forget(this.list().map((m) => m.id));
  }

  /**
   * `saTokens.sessionOnlyTokens` turned on: moves persisted tokens into memory and deletes them from
   * SecretStorage, so nothing stays on disk. Turning it off keeps session tokens in memory.
   */
  async moveToSession(): Promise<void> {
    for (const meta of [...this._persisted]) {
      const token = await this._options.secrets.get(secretKeys.tokenPrefix + meta.id);
      if (token !== undefined) {
        this._session.set(meta.id, { meta, token });
      }
    }
    const ids = this._persisted.map((m) => m.id);
    await this._mutateIndex((tokens) => tokens.filter((m) => !ids.includes(m.id)));
    await Promise.all(ids.map((id) => this._options.secrets.delete(secretKeys.tokenPrefix + id)));
    this._onDidChange.fire();
  }

  /** Forgets tokens expired for longer than the grace period, then schedules the next check. */
  async prune(): Promise<string[]> {
    clearTimeout(this._pruneTimer);
    const graceMs = this._options.graceMinutes() * 60_000;
    const now = (this._options.now ?? Date.now)();
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

  private _safePrune(): void {
    this.prune().catch((e: unknown) => this._options.onError?.('Could not prune expired tokens', e));
  }

  private async _put(id: string, meta: Omit<StoredTokenMeta, 'id'>, token: string): Promise<StoredTokenMeta> {
    // Never let a token ride along in the metadata, whatever the caller passed.
    const { token: _dropped, ...clean } = meta as Omit<StoredTokenMeta, 'id'> & { token?: unknown };
    const stored: StoredTokenMeta = { ...clean, id };
    const wasPersisted = this._persisted.some((m) => m.id === id);
    if (this._options.sessionOnly() && !wasPersisted) {
      this._session.set(id, { meta: stored, token });
    } else {
      this._session.delete(id);
      // Index first: another window reacts to the secret's change by re-reading the index.
      await this._mutateIndex((tokens) => [...tokens.filter((m) => m.id !== id), stored]);
      await this._options.secrets.store(secretKeys.tokenPrefix + id, token);
    }
    this._onDidChange.fire();
    this._safePrune();
    return stored;
  }

  private async _forget(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    const persisted = ids.filter((id) => this._persisted.some((m) => m.id === id));
    for (const id of ids) {
      this._session.delete(id);
    }
    if (persisted.length > 0) {
      await this._mutateIndex((tokens) => tokens.filter((m) => !persisted.includes(m.id)));
      await Promise.all(persisted.map((id) => this._options.secrets.delete(secretKeys.tokenPrefix + id)));
    }
    this._onDidChange.fire();
  }

  private _mutateIndex(change: (tokens: StoredTokenMeta[]) => StoredTokenMeta[]): Promise<void> {
    const write = this._writes.then(async () => {
      // Re-read first: another window may have written since we last looked.
      const next = change(this._readIndex());
      this._persisted = next;
      await this._options.state.update(stateKeys.tokenIndex, { version: 1, tokens: next } satisfies TokenIndex);
    });
    this._writes = write.catch(() => undefined);
    return write;
  }

  private _reloadIndex(changedId: string): void {
    const before = JSON.stringify(this._persisted);
    this._persisted = this._readIndex();
    const known = this._persisted.some((m) => m.id === changedId);
    if (JSON.stringify(this._persisted) !== before) {
      this._onDidChange.fire();
      this._safePrune();
    }
    // The secret may be announced before the other window's index write has reached this one.
    if (!known && this._retryTimer === undefined) {
      this._retryTimer = setTimeout(() => {
        this._retryTimer = undefined;
        const again = JSON.stringify(this._persisted);
        this._persisted = this._readIndex();
        if (JSON.stringify(this._persisted) !== again) {
          this._onDidChange.fire();
        }
      }, 500);
    }
  }

  private _readIndex(): StoredTokenMeta[] {
    const raw = this._options.state.get<unknown>(stateKeys.tokenIndex);
    const tokens = typeof raw === 'object' && raw !== null && Array.isArray((raw as { tokens?: unknown }).tokens)
      ? (raw as { tokens: unknown[] }).tokens
      : [];
    return tokens.filter(isMeta);
  }
}

function isMeta(value: unknown): value is StoredTokenMeta {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const m = value as Record<string, unknown>;
  return typeof m.id === 'string' && typeof m.context === 'string' && typeof m.namespace === 'string'
    && typeof m.serviceAccount === 'string' && typeof m.expiresAt === 'number' && Array.isArray(m.audiences)
    && !('token' in m);
}
