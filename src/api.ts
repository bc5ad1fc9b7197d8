import type { InspectorApi } from './webview/tokenInspector';

import type { ExplorerApi } from './ui/explorer/explorerApi';

import type * as vscode from 'vscode';
import type { StoredTokenMeta } from './platform/tokenStore';
import type { RequestTokenTesting } from './ui/requestToken/registerRequestToken';
import type { ExpiryApi } from './ui/expiry/registerExpiry';

/** Read-only view of the token store. */
export interface TokensApi {
  readonly onDidChange: vscode.Event<void>;
  list(): readonly StoredTokenMeta[];
}

/** What the features bundle provides once loaded. Never exposes a token. */
export interface SaTokensFeaturesApi {
  /** Stored tokens as metadata (context, namespace, SA, audiences, expiry, binding); never the token. */
  readonly tokens: TokensApi;
  /** Request Token test hooks (scripted prompter, reload simulation); only outside production mode. */
  readonly requestTokenTesting?: RequestTokenTesting;
  /** The Service Accounts tree as plain data (nodes and their TreeItems). */
  readonly explorer: ExplorerApi;
  /** Token Inspector panels, read-only and token-free (plus a dispatch hook outside production). */
  readonly inspector: InspectorApi;
  /** Expiry tracking: the status bar item's state and the scheduler's wake-up count (test hooks outside production). */
  readonly expiry: ExpiryApi;
}

/**
 * What `activate` returns: a small surface for other extensions and for the integration tests.
 * Features load lazily: `await api.ready` before reading the other members.
 */
export interface SaTokensApi extends SaTokensFeaturesApi {
  /** Loads the features (if not yet loaded) and resolves when they are registered. */
  readonly ready: Promise<void>;
}
