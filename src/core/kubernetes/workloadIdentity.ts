/** A cloud workload-identity binding declared by a ServiceAccount annotation. */
export interface WorkloadIdentityBinding {
  readonly provider: 'AWS' | 'GKE' | 'Azure';
  readonly annotation: string;
  readonly value: string;
  /** Short text for a tree item's description, e.g. `AWS: my-role`. */
  readonly short: string;
}

// The annotations each cloud's webhook reads to hand pods cloud credentials for this SA.
const annotations: ReadonlyArray<{ provider: WorkloadIdentityBinding['provider']; key: string; shorten: (v: string) => string }> = [
  // arn:aws:iam::123456789012:role/path/name → name
  { provider: 'AWS', key: 'eks.amazonaws.com/role-arn', shorten: (v) => v.slice(v.lastIndexOf('/') + 1) || v },
  // name@project.iam.gserviceaccount.com → name@project
  { provider: 'GKE', key: 'iam.gke.io/gcp-service-account', shorten: (v) => v.replace(/\.iam\.gserviceaccount\.com$/, '') },
  { provider: 'Azure', key: 'azure.workload.identity/client-id', shorten: (v) => v },
];

/** The workload-identity bindings among a ServiceAccount's annotations, in a fixed provider order. */
export function workloadIdentityBindings(saAnnotations: Readonly<Record<string, string>>): WorkloadIdentityBinding[] {
  const out: WorkloadIdentityBinding[] = [];
  for (const { provider, key, shorten } of annotations) {
    const value = saAnnotations[key]?.trim();
    if (value) {
      out.push({ provider, annotation: key, value, short: `${provider}: ${shorten(value)}` });
    }
  }
  return out;
}
