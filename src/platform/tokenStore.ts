import type * as vscode from 'vscode';
import type { IssuedTokenMeta } from '../core/token/issuedToken';

/**
 * What the extension remembers about an issued token. Never the token itself: that lives only in
 * SecretStorage, read through `TokenStore.getToken`.
 */
export interface StoredTokenMeta extends IssuedTokenMeta {
  readonly id: string;
  readonly autoRenew?: boolean;
}

/** Issued tokens: metadata index in extension state, tokens in SecretStorage. Implemented by the request-token feature. */
export interface TokenStore extends vscode.Disposable {
  /** Fires on add, replace, forget and changes made by another window. */
  readonly onDidChange: vscode.Event<void>;
  list(): readonly StoredTokenMeta[];
  get(id: string): StoredTokenMeta | undefined;
  getToken(id: string): Promise<string | undefined>;
  add(meta: Omit<StoredTokenMeta, 'id'>, token: string): Promise<StoredTokenMeta>;
  /** Renewal: swaps the token and metadata in place, keeping the id. */
  replace(id: string, meta: Omit<StoredTokenMeta, 'id'>, token: string): Promise<StoredTokenMeta>;
  update(id: string, patch: Partial<Pick<StoredTokenMeta, 'autoRenew'>>): Promise<void>;
  forget(id: string): Promise<void>;
  forgetAll(): Promise<void>;
}
