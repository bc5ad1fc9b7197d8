import { readFile } from 'node:fs/promises';
import type { CopyTarget } from '../core/kubectl/copyAs';
import type { ClusterClient, KubeconfigSnapshot } from '../kube/clusterClient';
import type { ClusterSession } from '../platform/clusterSession';

/** A client for the cluster a token is inspected against, with the kubeconfig it came from. */
export interface InspectorCluster {
  readonly client: ClusterClient;
  readonly contextName: string;
  readonly snapshot?: KubeconfigSnapshot;
}

/** How the inspector reaches a cluster: through the shared ClusterSession. */
export interface InspectorClusterAccess {
  /** Rejects with a TokenError (e.g. ERR_KUBECONFIG_MISSING) when no cluster is usable. */
  cluster(contextName?: string): Promise<InspectorCluster>;
}

export function clusterAccessFrom(session: ClusterSession): InspectorClusterAccess {
  return {
    async cluster(contextName) {
      const client = contextName !== undefined ? await session.clientFor(contextName) : await session.client();
      return {
        client,
        contextName: contextName ?? client.connectionInfo.contextName,
        ...(session.kubeconfig !== undefined ? { snapshot: session.kubeconfig } : {}),
      };
    },
  };
}

type Json = Record<string, unknown>;

/**
 * The cluster entry (server, CA, TLS options) of the client's context, for Copy as curl / kubectl /
 * kubeconfig. The merged kubeconfig sits behind a non-enumerable `merged` field of the snapshot
 * (see src/kube/kubeconfig.ts); without it, only what ConnectionInfo says is used.
 */
export async function copyTargetFor(cluster: InspectorCluster): Promise<CopyTarget> {
  const info = cluster.client.connectionInfo;
  const merged = (cluster.snapshot as { merged?: { clusters?: ReadonlyMap<string, { body: Json }> } } | undefined)?.merged;
  const body = merged?.clusters?.get(info.clusterName)?.body ?? {};
  const str = (key: string): string | undefined => (typeof body[key] === 'string' && body[key] !== '' ? body[key] : undefined);
  const caFile = str('certificate-authority');
  let caData = str('certificate-authority-data');
  if (caData === undefined && caFile !== undefined) {
    // Embed the CA so the generated kubeconfig works on another machine too.
    caData = await readFile(caFile).then((b) => b.toString('base64'), () => undefined);
  }
  const tlsServerName = info.tlsServerName ?? str('tls-server-name');
  const proxyUrl = info.proxyUrl ?? str('proxy-url');
  return {
    server: info.server,
    clusterName: info.clusterName,
    contextName: info.contextName,
    insecure: info.tlsVerificationDisabled,
    ...(caFile !== undefined ? { caFile } : {}),
    ...(caData !== undefined ? { caData } : {}),
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
    ...(proxyUrl !== undefined ? { proxyUrl } : {}),
  };
}
