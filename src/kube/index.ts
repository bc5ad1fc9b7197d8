/**
 * Entry point of the separately bundled kube layer (dist/kube/index.js). extension.js never imports
 * this file: src/platform/kubeLoader.ts `require`s the bundle on first use, because client-node
 * costs ~100 ms to load and activation must stay instant.
 */
import type { ClusterClient, ClusterClientOptions, KubeconfigLoadOptions, KubeconfigSnapshot } from './clusterClient';
import { KubeClusterClient } from './kubeClusterClient';
import { loadKubeconfig as loadMerged, resolveContext, type LoadedKubeconfig } from './kubeconfig';
import { TokenError } from '../core/errors';

export { parseWarningHeaders, warningTexts } from './warnings';
export { defaultPageSize, defaultTimeoutMs } from './kubeClusterClient';

/** Reads and merges the kubeconfig like kubectl (read-only). Throws a TokenError. */
export function loadKubeconfig(options?: KubeconfigLoadOptions): KubeconfigSnapshot {
  return loadMerged(options);
}

/**
 * A client for one context of a loaded kubeconfig (default: its current-context). Throws a
 * TokenError when the context is unknown or incomplete. Each call makes a new client with its own
 * connection pool; reuse it (or use `createKubeAccess().clientFor`, which caches).
 */
export function createClusterClient(config: KubeconfigSnapshot, options: ClusterClientOptions = {}): ClusterClient {
  const loaded = config as LoadedKubeconfig;
  if (loaded.merged === undefined) {
    throw new TokenError('ERR_KUBECONFIG_INVALID', 'The kubeconfig snapshot did not come from loadKubeconfig.');
  }
  return new KubeClusterClient(resolveContext(loaded, options.context), options);
}

export interface KubeAccess {
  loadKubeconfig(options?: KubeconfigLoadOptions): KubeconfigSnapshot;
  /** Cached per snapshot and context (and timeout/page size): connections and discovery are reused. */
  clientFor(config: KubeconfigSnapshot, options?: ClusterClientOptions): ClusterClient;
  /** Disposes every cached client (call when the kubeconfig reloads or the extension deactivates). */
  disposeClients(): void;
}

export function createKubeAccess(): KubeAccess {
  let cache = new WeakMap<KubeconfigSnapshot, Map<string, ClusterClient>>();
  const all = new Set<ClusterClient>();
  return {
    loadKubeconfig,
    clientFor(config, options = {}) {
      let perConfig = cache.get(config);
      if (perConfig === undefined) {
        perConfig = new Map();
        cache.set(config, perConfig);
      }
      const key = JSON.stringify([options.context ?? config.currentContext ?? '', options.timeoutMs ?? null, options.pageSize ?? null]);
      let client = perConfig.get(key);
      if (client === undefined) {
        client = createClusterClient(config, options);
        perConfig.set(key, client);
        all.add(client);
      }
      return client;
    },
    disposeClients() {
      for (const client of all) {client.dispose();}
      all.clear();
      cache = new WeakMap();
    },
  };
}
