// Wire shapes of the core objects: kinds, metadata key order, output with kind/apiVersion.
import type { KMeta, KObject, Resource } from './store';

export const KINDS: Record<Resource, string> = {
  namespaces: 'Namespace',
  nodes: 'Node',
  serviceaccounts: 'ServiceAccount',
  pods: 'Pod',
  secrets: 'Secret',
  roles: 'Role',
  clusterroles: 'ClusterRole',
  rolebindings: 'RoleBinding',
  clusterrolebindings: 'ClusterRoleBinding',
};

function apiVersionOf(resource: Resource): string {
  return resource in NAMESPACED_CORE ? 'v1' : 'rbac.authorization.k8s.io/v1';
}

const NAMESPACED_CORE: Partial<Record<Resource, true>> = { namespaces: true, nodes: true, serviceaccounts: true, pods: true, secrets: true };

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** ObjectMeta fields in Go struct order; unknown keys are dropped as the real decoder would. */
export function orderMeta(m: Partial<KMeta>): KMeta {
  const out: Record<string, unknown> = {};
  for (const k of META_ORDER) {
    const v = (m as Record<string, unknown>)[k];
    if (v !== undefined && v !== null && v !== '') {out[k] = v;}
  }
  return out as KMeta;
}

export function withKind(resource: Resource, o: KObject): Record<string, unknown> {
  const { metadata, ...rest } = o;
  return { kind: KINDS[resource], apiVersion: apiVersionOf(resource), metadata, ...rest };
}

export function listBody(resource: Resource, items: KObject[], meta: { resourceVersion: string; continue?: string; remainingItemCount?: number }): unknown {
  const m: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continue) {m.continue = meta.continue;}
  if (meta.remainingItemCount !== undefined) {m.remainingItemCount = meta.remainingItemCount;}
  return { kind: `${KINDS[resource]}List`, apiVersion: apiVersionOf(resource), metadata: m, items };
}

export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
