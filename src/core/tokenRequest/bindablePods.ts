/** The fields of a pod that decide whether a token can be bound to it. */
export interface PodRunningAs {
  readonly name: string;
  /** `spec.serviceAccountName`; the API server defaults it to `default`. */
  readonly serviceAccountName?: string;
}

/**
 * Splits a namespace's pods into those a token for `serviceAccount` can be bound to and the others: the
 * API server refuses to bind a TokenRequest to a pod that runs as another service account.
 */
export function bindablePods<P extends PodRunningAs>(pods: readonly P[], serviceAccount: string): { readonly bindable: P[]; readonly others: P[] } {
  const runsAs = (pod: P) => pod.serviceAccountName ?? 'default';
  return { bindable: pods.filter((p) => runsAs(p) === serviceAccount), others: pods.filter((p) => runsAs(p) !== serviceAccount) };
}

/** Why a pod of another service account cannot be picked. */
export function otherServiceAccountReason(pod: PodRunningAs, serviceAccount: string): string {
  return `This pod runs as service account "${pod.serviceAccountName ?? 'default'}"; the API server refuses to bind a token for "${serviceAccount}" to it.`;
}
