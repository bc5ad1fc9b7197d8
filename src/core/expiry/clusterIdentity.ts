/** Which cluster a context leads to: its cluster entry's name and server URL. */
export interface ClusterIdentity {
  readonly cluster: string;
  readonly server: string;
}

/** A context that now leads elsewhere than when the token was issued (kind, minikube and docker-desktop reuse names). */
export interface ClusterChange {
  readonly context: string;
  readonly issuedBy: ClusterIdentity;
  readonly now: ClusterIdentity;
}

/** The change when `now` is not the cluster the token came from, else undefined. */
export function clusterChange(context: string, issuedBy: ClusterIdentity, now: ClusterIdentity): ClusterChange | undefined {
  const same = normalizeServer(issuedBy.server) === normalizeServer(now.server) && issuedBy.cluster === now.cluster;
  return same ? undefined : { context, issuedBy, now };
}

/** "Context X now points at https://B, but this token was issued by https://A." (names clusters when only they differ). */
export function describeClusterChange(change: ClusterChange): string {
  const serverChanged = normalizeServer(change.issuedBy.server) !== normalizeServer(change.now.server);
  return serverChanged
    ? `Context "${change.context}" now points at ${change.now.server}, but this token was issued by ${change.issuedBy.server}.`
    : `Context "${change.context}" now points at cluster "${change.now.cluster}" (${change.now.server}), but this token was issued by cluster "${change.issuedBy.cluster}".`;
}

/** Scheme and host case, a default port and a trailing slash do not make another server. */
export function normalizeServer(server: string): string {
  try {
    const url = new URL(server);
    const path = url.pathname.replace(/\/+$/, '');
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return server.trim().replace(/\/+$/, '');
  }
}

/**
 * Why a renewed token must not replace the old one: it was issued by another issuer (`iss`), so the context
 * leads to another cluster, even at the same server URL (a cluster recreated at the same address). Undefined
 * when the issuers match or either token has none.
 */
export function issuerChange(context: string, oldIssuer: unknown, newIssuer: unknown): string | undefined {
  if (typeof oldIssuer !== 'string' || typeof newIssuer !== 'string' || oldIssuer === newIssuer) {
    return undefined;
  }
  return `The renewed token was issued by ${newIssuer}, not by ${oldIssuer} like the token it renews: context "${context}" now leads to another cluster, or its issuer changed. The new token was discarded and the old one kept; request a new token to use that cluster.`;
}
