import { isTokenError } from '../core/errors';
import type { ClusterClient, SecretSummary } from '../kube/clusterClient';
import { infoNode, legacyTokenNode, type AccountNode, type ServiceAccountNode } from './accountNodes';
import { errorNode } from './errorNode';

/** A service account's legacy token Secrets, as metadata (their tokens are never downloaded). */
export async function legacyTokenSecretsOf(client: ClusterClient, namespace: string, serviceAccount: string, signal?: AbortSignal): Promise<SecretSummary[]> {
  const page = await client.listLegacyTokenSecrets(namespace, signal === undefined ? {} : { signal });
  return page.items.filter((s) => s.serviceAccountName === serviceAccount);
}

/** A service account's legacy token Secrets as nodes; a denied list becomes a quiet note, other failures an error item. */
export async function legacyTokenChildren(
  client: ClusterClient,
  sa: ServiceAccountNode,
  signal: AbortSignal,
  track: <T>(request: Promise<T>) => Promise<T> = (request) => request,
): Promise<{ items: AccountNode[]; notes: AccountNode[]; error?: AccountNode }> {
  try {
    const items = (await track(legacyTokenSecretsOf(client, sa.namespace, sa.name, signal))).map((s) => legacyTokenNode(sa, s));
    return { items, notes: [] };
  } catch (e) {
    if (isTokenError(e) && e.code === 'ERR_CANCELLED') {
      return { items: [], notes: [] };
    }
    if (isTokenError(e) && e.code === 'ERR_FORBIDDEN') {
      // Reading secrets is often (rightly) not allowed: say so quietly instead of failing the SA.
      return { items: [], notes: [infoNode(sa.key, 'secrets-forbidden', 'Legacy token secrets not shown (cannot list secrets)', undefined, e.message)] };
    }
    return { items: [], notes: [], error: errorNode(sa.key, e) };
  }
}
