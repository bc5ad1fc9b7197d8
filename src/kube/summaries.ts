/** Projections of raw API JSON onto the UI's summary types. Pure; tolerant of missing fields. */
import type { NamespaceSummary, NodeSummary, PodSummary, SecretSummary, ServiceAccountSummary } from './clusterClient';

type Json = Record<string, unknown>;

export const legacyTokenSecretType = 'kubernetes.io/service-account-token';
export const legacyTokenLastUsedLabel = 'kubernetes.io/legacy-token-last-used';
export const legacyTokenInvalidSinceLabel = 'kubernetes.io/legacy-token-invalid-since';

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    if (typeof val === 'string') {out[k] = val;}
  }
  return out;
}

function names(v: unknown): string[] {
  if (!Array.isArray(v)) {return [];}
  return v.map((r) => str(obj(r).name)).filter((n): n is string => n !== undefined);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function toNamespaceSummary(raw: unknown): NamespaceSummary {
  const o = obj(raw);
  const meta = obj(o.metadata);
  return {
    name: str(meta.name) ?? '',
    uid: str(meta.uid) ?? '',
    labels: stringMap(meta.labels),
    ...optional('creationTimestamp', str(meta.creationTimestamp)),
    ...optional('phase', str(obj(o.status).phase)),
  };
}

export function toServiceAccountSummary(raw: unknown): ServiceAccountSummary {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const automount = o.automountServiceAccountToken;
  return {
    namespace: str(meta.namespace) ?? '',
    name: str(meta.name) ?? '',
    uid: str(meta.uid) ?? '',
    annotations: stringMap(meta.annotations),
    labels: stringMap(meta.labels),
    secrets: names(o.secrets),
    imagePullSecrets: names(o.imagePullSecrets),
    ...optional('creationTimestamp', str(meta.creationTimestamp)),
    ...optional('resourceVersion', str(meta.resourceVersion)),
    ...optional('automountServiceAccountToken', typeof automount === 'boolean' ? automount : undefined),
  };
}

export function toPodSummary(raw: unknown): PodSummary {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  return {
    namespace: str(meta.namespace) ?? '',
    name: str(meta.name) ?? '',
    uid: str(meta.uid) ?? '',
    ...optional('creationTimestamp', str(meta.creationTimestamp)),
    // `serviceAccount` is the deprecated alias older objects may carry alone.
    ...optional('serviceAccountName', str(spec.serviceAccountName) ?? str(spec.serviceAccount)),
    ...optional('nodeName', str(spec.nodeName)),
    ...optional('phase', str(obj(o.status).phase)),
    ...optional('deletionTimestamp', str(meta.deletionTimestamp)),
  };
}

export function toSecretSummary(raw: unknown): SecretSummary {
  const o = obj(raw);
  const meta = obj(o.metadata);
  const labels = stringMap(meta.labels);
  const annotations = stringMap(meta.annotations);
  return {
    namespace: str(meta.namespace) ?? '',
    name: str(meta.name) ?? '',
    uid: str(meta.uid) ?? '',
    type: str(o.type) ?? 'Opaque',
    labels,
    annotations,
    dataKeys: Object.keys(obj(o.data)),
    ...optional('creationTimestamp', str(meta.creationTimestamp)),
    ...optional('serviceAccountName', annotations['kubernetes.io/service-account.name']),
    ...optional('serviceAccountUid', annotations['kubernetes.io/service-account.uid']),
    ...optional('legacyTokenLastUsed', labels[legacyTokenLastUsedLabel]),
    ...optional('legacyTokenInvalidSince', labels[legacyTokenInvalidSinceLabel]),
  };
}

export function toNodeSummary(raw: unknown): NodeSummary {
  const meta = obj(obj(raw).metadata);
  return { name: str(meta.name) ?? '', uid: str(meta.uid) ?? '', ...optional('creationTimestamp', str(meta.creationTimestamp)) };
}

/** Drops `metadata.managedFields` (noise in "Show YAML"); returns a copy. */
export function withoutManagedFields(raw: unknown): Json {
  const o = { ...obj(raw) };
  if (typeof o.metadata === 'object' && o.metadata !== null) {
    const meta = { ...(o.metadata as Json) };
    delete meta.managedFields;
    o.metadata = meta;
  }
  return o;
}
