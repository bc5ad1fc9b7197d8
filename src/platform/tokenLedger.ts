import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredTokenMeta } from './tokenStore';

const entrySuffix = '.json';
const forgottenSuffix = '.forgotten';
const tempSuffix = '.tmp';

/** Token ids become file names: only what randomUUID makes (and earlier versions made) is accepted. */
const safeId = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The ledger of stored tokens, in a folder every window of the profile shares: `<id>.json` holds a token's
 * metadata (never the token), `<id>.forgotten` marks a token being or recently forgotten.
 *
 * Files rather than globalState: VS Code keeps an extension's globalState as one object that each window
 * writes back whole from its own cached copy, so two windows writing at once lose one write. A file is
 * created, replaced (write, then rename) and deleted on its own, and every window lists the folder as it
 * is now. It is also the record of which SecretStorage keys may exist: SecretStorage cannot list its keys
 * in VS Code 1.101, and the store writes an entry before its secret and removes it only after.
 *
 * Synchronous: the files are a few hundred bytes, and `TokenStore.list()` is synchronous.
 */
export class TokenLedger {
  constructor(private readonly _dir: string) {}

  /** The metadata of every entry not marked forgotten. Unreadable or foreign files are skipped. */
  entries(): StoredTokenMeta[] {
    const names = this._names();
    const forgotten = new Set(names.filter((n) => n.endsWith(forgottenSuffix)).map((n) => n.slice(0, -forgottenSuffix.length)));
    return names
      .filter((n) => n.endsWith(entrySuffix) && !forgotten.has(n.slice(0, -entrySuffix.length)))
      .map((n) => this._readEntry(n.slice(0, -entrySuffix.length)))
      .filter((m): m is StoredTokenMeta => m !== undefined);
  }

  entry(id: string): StoredTokenMeta | undefined {
    return safeId.test(id) ? this._readEntry(id) : undefined;
  }

  /** Writes or replaces an entry; readers in other windows see the old or the new file, never half of one. */
  write(meta: StoredTokenMeta): void {
    const id = checkedId(meta.id);
    mkdirSync(this._dir, { recursive: true });
    const temp = join(this._dir, `${id}.${randomUUID()}${tempSuffix}`);
    writeFileSync(temp, JSON.stringify({ version: 2, meta }), { mode: 0o600 });
    renameSync(temp, join(this._dir, id + entrySuffix));
  }

  removeEntry(id: string): void {
    rmSync(join(this._dir, checkedId(id) + entrySuffix), { force: true });
  }

  markForgotten(id: string, at: number): void {
    mkdirSync(this._dir, { recursive: true });
    writeFileSync(join(this._dir, checkedId(id) + forgottenSuffix), String(at), { mode: 0o600 });
  }

  isForgotten(id: string): boolean {
    try {
      statSync(join(this._dir, checkedId(id) + forgottenSuffix));
      return true;
    } catch {
      return false;
    }
  }

  /** Tokens marked forgotten, with when. */
  forgotten(): { id: string; at: number }[] {
    return this._names()
      .filter((n) => n.endsWith(forgottenSuffix))
      .map((n) => {
        const id = n.slice(0, -forgottenSuffix.length);
        return { id, at: Number(this._read(id + forgottenSuffix)) || 0 };
      })
      .filter((f) => safeId.test(f.id));
  }

  removeForgotten(id: string): void {
    rmSync(join(this._dir, checkedId(id) + forgottenSuffix), { force: true });
  }

  /** Removes half-written files a window left when it stopped mid-write. */
  removeTempFilesOlderThan(time: number): void {
    for (const name of this._names().filter((n) => n.endsWith(tempSuffix))) {
      const path = join(this._dir, name);
      try {
        if (statSync(path).mtimeMs < time) {
          rmSync(path, { force: true });
        }
      } catch {
        // Renamed or removed by its writer meanwhile.
      }
    }
  }

  private _names(): string[] {
    try {
      return readdirSync(this._dir);
    } catch {
      return [];
    }
  }

  private _read(name: string): string | undefined {
    try {
      return readFileSync(join(this._dir, name), 'utf8');
    } catch {
      return undefined;
    }
  }

  private _readEntry(id: string): StoredTokenMeta | undefined {
    const raw = this._read(id + entrySuffix);
    if (raw === undefined) {
      return undefined;
    }
    try {
      const parsed = JSON.parse(raw) as { meta?: unknown };
      return isStoredTokenMeta(parsed.meta) && parsed.meta.id === id ? parsed.meta : undefined;
    } catch {
      return undefined;
    }
  }
}

function checkedId(id: string): string {
  if (!safeId.test(id)) {
    throw new Error(`Not a token id: ${JSON.stringify(id.slice(0, 80))}`);
  }
  return id;
}

/** Metadata as the store writes it: the fields every reader relies on, and no `token` field. */
export function isStoredTokenMeta(value: unknown): value is StoredTokenMeta {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const m = value as Record<string, unknown>;
  return typeof m.id === 'string' && safeId.test(m.id) && typeof m.context === 'string' && typeof m.namespace === 'string'
    && typeof m.serviceAccount === 'string' && typeof m.expiresAt === 'number' && Array.isArray(m.audiences)
    && !('token' in m);
}
