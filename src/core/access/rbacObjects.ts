/**
 * RBAC objects (rbac.authorization.k8s.io/v1) as plain data, and their projection from the API's JSON.
 * Only what authorization reads is kept: rules, aggregation selectors, subjects and role references.
 */

export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

export interface LabelSelectorRequirement {
  readonly key: string;
  /** In, NotIn, Exists, DoesNotExist. */
  readonly operator: string;
  readonly values: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface RbacMeta {
  readonly name: string;
  /** Absent for the cluster-scoped kinds. */
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Role extends RbacMeta {
  readonly kind: 'Role';
  readonly namespace: string;
  readonly rules: readonly PolicyRule[];
}

export interface ClusterRole extends RbacMeta {
  readonly kind: 'ClusterRole';
  readonly rules: readonly PolicyRule[];
  /** Set on aggregated roles: their rules are the union of the selected ClusterRoles', copied by a controller. */
  readonly aggregationSelectors?: readonly LabelSelector[];
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface RbacSubject {
  readonly kind: SubjectKind;
  readonly name: string;
  /** Service accounts only; in a RoleBinding an empty namespace means the binding's own. */
  readonly namespace?: string;
}

export interface RoleRef {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
}

export interface RoleBinding extends RbacMeta {
  readonly kind: 'RoleBinding';
  readonly namespace: string;
  readonly subjects: readonly RbacSubject[];
  readonly roleRef: RoleRef;
}

export interface ClusterRoleBinding extends RbacMeta {
  readonly kind: 'ClusterRoleBinding';
  readonly subjects: readonly RbacSubject[];
  readonly roleRef: RoleRef;
}

/** Everything authorization reads, as listed from one cluster. */
export interface RbacSnapshot {
  readonly roles: readonly Role[];
  readonly clusterRoles: readonly ClusterRole[];
  readonly roleBindings: readonly RoleBinding[];
  readonly clusterRoleBindings: readonly ClusterRoleBinding[];
}

export const emptyRbacSnapshot: RbacSnapshot = { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    if (typeof val === 'string') {out[k] = val;}
  }
  return out;
}

function meta(raw: unknown): { name: string; namespace: string; labels: Record<string, string> } {
  const m = obj(obj(raw).metadata);
  return { name: typeof m.name === 'string' ? m.name : '', namespace: typeof m.namespace === 'string' ? m.namespace : '', labels: stringMap(m.labels) };
}

export function toPolicyRule(raw: unknown): PolicyRule {
  const r = obj(raw);
  return {
    verbs: strings(r.verbs),
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    resourceNames: strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  };
}

function rules(raw: unknown): PolicyRule[] {
  // An aggregated role the controller has not filled yet is served with `"rules": null`.
  return Array.isArray(raw) ? raw.map(toPolicyRule) : [];
}

function toLabelSelector(raw: unknown): LabelSelector {
  const s = obj(raw);
  const expressions = Array.isArray(s.matchExpressions) ? s.matchExpressions : [];
  return {
    matchLabels: stringMap(s.matchLabels),
    matchExpressions: expressions.map((e) => {
      const x = obj(e);
      return { key: typeof x.key === 'string' ? x.key : '', operator: typeof x.operator === 'string' ? x.operator : '', values: strings(x.values) };
    }),
  };
}

function toSubject(raw: unknown): RbacSubject | undefined {
  const s = obj(raw);
  if (s.kind !== 'User' && s.kind !== 'Group' && s.kind !== 'ServiceAccount') {return undefined;}
  const name = typeof s.name === 'string' ? s.name : '';
  const namespace = typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : undefined;
  return { kind: s.kind, name, ...(s.kind === 'ServiceAccount' && namespace !== undefined ? { namespace } : {}) };
}

function toRoleRef(raw: unknown): RoleRef {
  const r = obj(raw);
  return { kind: r.kind === 'Role' ? 'Role' : 'ClusterRole', name: typeof r.name === 'string' ? r.name : '' };
}

function subjects(raw: unknown): RbacSubject[] {
  return Array.isArray(raw) ? raw.map(toSubject).filter((s): s is RbacSubject => s !== undefined) : [];
}

export function toRole(raw: unknown): Role {
  const m = meta(raw);
  return { kind: 'Role', name: m.name, namespace: m.namespace, labels: m.labels, rules: rules(obj(raw).rules) };
}

export function toClusterRole(raw: unknown): ClusterRole {
  const m = meta(raw);
  const o = obj(raw);
  const aggregation = obj(o.aggregationRule);
  const selectors = Array.isArray(aggregation.clusterRoleSelectors) ? aggregation.clusterRoleSelectors.map(toLabelSelector) : undefined;
  return { kind: 'ClusterRole', name: m.name, labels: m.labels, rules: rules(o.rules), ...(selectors === undefined ? {} : { aggregationSelectors: selectors }) };
}

export function toRoleBinding(raw: unknown): RoleBinding {
  const m = meta(raw);
  const o = obj(raw);
  return { kind: 'RoleBinding', name: m.name, namespace: m.namespace, labels: m.labels, subjects: subjects(o.subjects), roleRef: toRoleRef(o.roleRef) };
}

export function toClusterRoleBinding(raw: unknown): ClusterRoleBinding {
  const m = meta(raw);
  const o = obj(raw);
  return { kind: 'ClusterRoleBinding', name: m.name, labels: m.labels, subjects: subjects(o.subjects), roleRef: toRoleRef(o.roleRef) };
}

/** A snapshot from the four lists' items as the API returns them. */
export function toRbacSnapshot(lists: { readonly roles: readonly unknown[]; readonly clusterRoles: readonly unknown[]; readonly roleBindings: readonly unknown[]; readonly clusterRoleBindings: readonly unknown[] }): RbacSnapshot {
  return {
    roles: lists.roles.map(toRole),
    clusterRoles: lists.clusterRoles.map(toClusterRole),
    roleBindings: lists.roleBindings.map(toRoleBinding),
    clusterRoleBindings: lists.clusterRoleBindings.map(toClusterRoleBinding),
  };
}
