import type { ExplorerApi } from './ui/explorer/explorerApi';

/** What `activate` returns: a small surface for other extensions and for the integration tests. Never exposes a token. */
export interface SaTokensApi {
  /** Resolves once activation-time loading has settled. */
  readonly ready: Promise<void>;
  /** The Service Accounts tree as plain data (nodes and their TreeItems). */
  readonly explorer: ExplorerApi;
}
