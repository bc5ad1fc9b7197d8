import type { JWTPayload } from 'jose';

/** A named object reference inside the `kubernetes.io` claim. */
export interface ClaimObjectRef {
  readonly name: string;
  readonly uid?: string;
}

/** What a token says about its Kubernetes identity. */
export type KubernetesClaims =
  | {
    /** A TokenRequest (bound) token with the nested `kubernetes.io` claim. */
    readonly kind: 'bound';
    readonly namespace: string;
    readonly serviceAccount: ClaimObjectRef;
    /** The object the token is bound to, if any. */
    readonly binding?: { readonly kind: 'Pod' | 'Secret' | 'Node'; readonly name: string; readonly uid?: string };
    /** For Pod-bound tokens: the node the pod ran on when the token was issued. */
    readonly node?: ClaimObjectRef;
    /** Seconds since epoch after which the cluster flags this (extended) token as stale. */
    readonly warnAfter?: number;
  }
  | {
    /** A legacy Secret-based token with flat `kubernetes.io/serviceaccount/...` claims. */
    readonly kind: 'legacy';
    readonly namespace: string;
    readonly serviceAccount: ClaimObjectRef;
    readonly secretName?: string;
  }
  | {
    readonly kind: 'not-kubernetes';
    /** Why the token is not recognised, in one sentence. */
    readonly reason: string;
  };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function ref(value: unknown): ClaimObjectRef | undefined {
  const r = record(value);
  const name = str(r?.name);
  if (name === undefined) {
    return undefined;
  }
  const uid = str(r?.uid);
  return uid === undefined ? { name } : { name, uid };
}

const legacyPrefix = 'kubernetes.io/serviceaccount/';

/**
 * Extracts the typed Kubernetes identity from decoded claims: bound tokens (`kubernetes.io` object),
 * legacy Secret tokens (flat claims), or a note that the token is not a Kubernetes service-account token.
 */
export function kubernetesClaims(claims: JWTPayload): KubernetesClaims {
  const k8s = record(claims['kubernetes.io']);
  if (k8s !== undefined) {
    const namespace = str(k8s.namespace);
    const serviceAccount = ref(k8s.serviceaccount);
    if (namespace === undefined || serviceAccount === undefined) {
      return { kind: 'not-kubernetes', reason: 'The "kubernetes.io" claim lacks a namespace or service account name.' };
    }
    const pod = ref(k8s.pod);
    const secret = ref(k8s.secret);
    const node = ref(k8s.node);
    const binding = pod !== undefined ? { kind: 'Pod' as const, ...pod }
      : secret !== undefined ? { kind: 'Secret' as const, ...secret }
        : node !== undefined ? { kind: 'Node' as const, ...node }
          : undefined;
    const warnAfter = typeof k8s.warnafter === 'number' && Number.isFinite(k8s.warnafter) ? k8s.warnafter : undefined;
    return {
      kind: 'bound',
      namespace,
      serviceAccount,
      ...(binding !== undefined ? { binding } : {}),
      ...(pod !== undefined && node !== undefined ? { node } : {}),
      ...(warnAfter !== undefined ? { warnAfter } : {}),
    };
  }
  const namespace = str(claims[`${legacyPrefix}namespace`]);
  const saName = str(claims[`${legacyPrefix}service-account.name`]);
  if (namespace !== undefined && saName !== undefined) {
    const uid = str(claims[`${legacyPrefix}service-account.uid`]);
    const secretName = str(claims[`${legacyPrefix}secret.name`]);
    return {
      kind: 'legacy',
      namespace,
      serviceAccount: uid === undefined ? { name: saName } : { name: saName, uid },
      ...(secretName !== undefined ? { secretName } : {}),
    };
  }
  return {
    kind: 'not-kubernetes',
    reason: typeof claims.sub === 'string' && claims.sub.startsWith('system:serviceaccount:')
      ? 'The subject names a service account, but the token has no "kubernetes.io" claim.'
      : 'The token has no "kubernetes.io" claim; it was not issued by a Kubernetes API server for a service account.',
  };
}
