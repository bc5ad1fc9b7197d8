import type { InspectorApi } from './inspector';

import type { ExplorerApi } from './explorer/explorerApi';

import type * as vscode from 'vscode';
import type { StoredTokenMeta } from './platform/tokenStore';
import type { RequestTokenTesting } from './requestToken';
import type { ExpiryApi } from './expiry';

/** Read-only view of the token store. */
export interface TokensApi {
  readonly onDidChange: vscode.Event<void>;
  list(): readonly StoredTokenMeta[];
}

/** What `activate` returns: a small surface for other extensions and for the integration tests. Never exposes a token. */
export interface SaTokensApi {
  /** Resolved once activation has registered every feature (kept for callers written for lazy loading). */
  readonly ready: Promise<void>;
  /** Stored tokens as metadata (context, namespace, SA, audiences, expiry, binding); never the token. */
  readonly tokens: TokensApi;
  /** Request Token test hooks (scripted prompter, reload simulation); only outside production mode. */
  readonly requestTokenTesting?: RequestTokenTesting;
  /** The context keys the extension has set and their values (VS Code cannot read them back); only outside production mode. */
  readonly contextKeys?: () => Readonly<Record<string, unknown>>;
  /** The Service Accounts tree as plain data (nodes and their TreeItems). */
  readonly explorer: ExplorerApi;
  /** Token Inspector panels, read-only and token-free (plus a dispatch hook outside production). */
  readonly inspector: InspectorApi;
  /** Expiry tracking: the status bar item's state and the scheduler's wake-up count (test hooks outside production). */
  readonly expiry: ExpiryApi;
}

