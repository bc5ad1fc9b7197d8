import type { ClusterSession } from './platform/clusterSession';
import type { Log } from './platform/log';
import type { TokenStore } from './platform/tokenStore';

/** What extension.ts builds once and hands to every feature's `register`. */
export interface Services {
  /** The active kubeconfig and its cluster clients; loads @kubernetes/client-node on first contact only. */
  readonly session: ClusterSession & { whenLoaded(): Promise<void> };
  /** Issued tokens: SecretStorage plus a token-free index in globalState. */
  readonly tokenStore: TokenStore;
  readonly log: Log;
  /** Expose test hooks on the API (never in production mode). */
  readonly testHooks: boolean;
}
