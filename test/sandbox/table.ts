// Server-side printing (meta.k8s.io/v1 Table), which kubectl get asks for with `as=Table`.
import type { ListResult } from './paging';
import type { KObject, Resource } from './store';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept) && /v=v1(?!beta)/.test(accept);
}

interface Col {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const NAME: Col = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 };
const AGE: Col = { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 };
const col = (name: string, type: string, description: string, priority = 0): Col => ({ name, type, format: '', description, priority });

/** duration.HumanDuration from k8s.io/apimachinery. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) {return '<invalid>';}
  if (s < 120) {return `${s}s`;}
  const m = Math.floor(s / 60);
  if (m < 10) {return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;}
  if (m < 180) {return `${m}m`;}
  const h = Math.floor(m / 60);
  if (h < 8) {return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;}
  if (h < 48) {return `${h}h`;}
  const d = Math.floor(h / 24);
  if (h < 192) {return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;}
  if (d < 365 * 2) {return `${d}d`;}
  const y = Math.floor(d / 365);
  if (d < 365 * 8) {return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;}
  return `${y}y`;
}

function cells(resource: Resource, o: KObject, now: number): unknown[] {
  const age = humanDuration(now - Date.parse(o.metadata.creationTimestamp));
  const st = (o.status ?? {}) as Record<string, unknown>;
  switch (resource) {
    case 'namespaces':
      return [o.metadata.name, st.phase ?? '', age];
    case 'nodes':
      return [o.metadata.name, 'Ready', Object.keys(o.metadata.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.split('/')[1]).join(',') || '<none>', age, ((st.nodeInfo as Record<string, string>) ?? {}).kubeletVersion ?? ''];
    case 'serviceaccounts':
      return [o.metadata.name, age];
    case 'roles':
    case 'clusterroles':
    case 'rolebindings':
    case 'clusterrolebindings':
      // Only the columns every RBAC table has; nothing here prints RBAC tables.
      return [o.metadata.name, age];
    case 'secrets':
      return [o.metadata.name, o.type ?? '', Object.keys((o.data as object) ?? {}).length, age];
    case 'pods': {
      const containers = (((o.spec as Record<string, unknown>)?.containers as unknown[]) ?? []).length;
      const running = st.phase === 'Running';
      return [o.metadata.name, `${running ? containers : 0}/${containers}`, st.phase ?? '', 0, age, st.podIP ?? '<none>', (o.spec as Record<string, string>)?.nodeName ?? '<none>', '<none>', '<none>'];
    }
  }
}

const COLUMNS: Record<Resource, Col[]> = {
  namespaces: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
  nodes: [NAME, col('Status', 'string', 'The status of the node'), col('Roles', 'string', 'The roles of the node'), AGE, col('Version', 'string', 'Kubelet Version reported by the node.')],
  // The Secrets column went with the auto-generated token Secrets (1.36 printers).
  serviceaccounts: [NAME, AGE],
  roles: [NAME, AGE],
  clusterroles: [NAME, AGE],
  rolebindings: [NAME, AGE],
  clusterrolebindings: [NAME, AGE],
  secrets: [NAME, col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'string', 'Data contains the secret data.'), AGE],
  pods: [
    NAME,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'string', 'NodeName is a request to schedule this pod onto a specific node.', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set when this pod preempts other pods on the node.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
};
COLUMNS.secrets[2].type = 'integer';
COLUMNS.pods[3].type = 'string';

/** `as=PartialObjectMetadataList`: what metadata-only clients ask for (the objects' metadata, never their data). */
export function wantsMetadataList(accept: string | undefined): boolean {
  return !!accept && /as=PartialObjectMetadataList/.test(accept) && /g=meta\.k8s\.io/.test(accept) && /v=v1(?!beta)/.test(accept);
}

/** A list's ListMeta: resourceVersion, then continue and remainingItemCount when there are more. */
function listMeta(r: ListResult): Record<string, unknown> {
  const meta: Record<string, unknown> = { resourceVersion: r.resourceVersion };
  if (r.continue) {meta.continue = r.continue;}
  if (r.remainingItemCount !== undefined) {meta.remainingItemCount = r.remainingItemCount;}
  return meta;
}

export function metadataListFor(r: ListResult): unknown {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta(r),
    items: r.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })),
  };
}

export function tableFor(resource: Resource, r: ListResult, now: number): unknown {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta(r),
    columnDefinitions: COLUMNS[resource],
    rows: r.items.map((o) => ({
      cells: cells(resource, o, now),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
