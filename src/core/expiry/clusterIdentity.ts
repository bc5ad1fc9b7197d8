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
