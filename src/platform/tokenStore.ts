import type * as vscode from 'vscode';
import type { TokenRequestOptions } from '../core/tokenRequest';

/**
 * What the extension remembers about an issued token. Never the token itself: that lives only in
 * SecretStorage, read through `TokenStore.getToken`.
 */
export interface StoredTokenMeta {
  readonly id: string;
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly audiences: readonly string[];
  /** JWT `iat`, ms since the epoch. */
  readonly issuedAt: number;
  /** JWT `exp`, ms since the epoch (authoritative: extended tokens outlive `status.expirationTimestamp`). */
  readonly expiresAt: number;
  /** JWT `kubernetes.io.warnafter` (extended tokens), ms since the epoch. */
  readonly warnAfter?: number;
  readonly boundObject?: TokenRequestOptions['boundObject'];
  /** What was asked, so renewal re-issues the same spec (same audiences, lifetime, bound object and uid). */
  readonly request: TokenRequestOptions;
  /** `spec.expirationSeconds` the server returned (shortened by a cap, or 3607 for extended tokens). */
  readonly issuedExpirationSeconds?: number;
  /** Local clock minus server clock, from the response Date header. */
  readonly clockSkewMs?: number;
  readonly dryRun?: boolean;
  readonly autoRenew?: boolean;
  /** JWT `jti`: the credential id in audit logs. */
  readonly jti?: string;
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
