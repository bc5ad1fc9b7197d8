import type { JWTPayload } from 'jose';
import { kubernetesClaims } from './kubernetesClaims';
import { formatTime } from '../expiry/timeFormat';
import type { TimeDisplay, TimeFormatOptions } from '../expiry/timeFormat';

/** One row of the inspector's claims table. */
export interface ClaimRow {
  /** Claim path, e.g. `exp` or `kubernetes.io.pod.uid`. */
  readonly claim: string;
  /** The value as display text (JSON for non-strings). */
  readonly value: string;
  readonly label: string;
  readonly explanation: string;
  /** For time claims: the moment in local time, UTC and relative to `now`. */
  readonly time?: TimeDisplay;
}

const registered: Readonly<Record<string, { label: string; explanation: string; isTime?: boolean }>> = {
  iss: { label: 'Issuer', explanation: 'Who issued the token: for service-account tokens, the API server\'s --service-account-issuer. Verifiers use it to find the signing keys.' },
  sub: { label: 'Subject', explanation: 'Who the token represents. For service accounts: system:serviceaccount:<namespace>:<name>.' },
  aud: { label: 'Audience', explanation: 'Who may accept the token. A receiver must reject a token whose audiences do not include its own; the API server accepts only its API audiences.' },
  exp: { label: 'Expires', explanation: 'After this moment the token is rejected (the API server allows 1 minute of leeway).', isTime: true },
  iat: { label: 'Issued at', explanation: 'When the API server minted the token.', isTime: true },
  nbf: { label: 'Not before', explanation: 'The token is not valid before this moment (Kubernetes sets it to the issue time).', isTime: true },
  jti: { label: 'Token ID', explanation: '' },
};

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

function numericTime(value: unknown, now: number, options: TimeFormatOptions): TimeDisplay | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? formatTime(value * 1000, now, options) : undefined;
}

/**
 * Explains every claim of a decoded token for people: each registered claim, each part of the
 * `kubernetes.io` claim in Kubernetes terms, and unknown claims as-is. Times come with local, UTC and
 * relative text computed from `now` (ms).
 */
export function explainClaims(decoded: { readonly claims: JWTPayload }, now: number, options: TimeFormatOptions = {}): ClaimRow[] {
  const { claims } = decoded;
  const rows: ClaimRow[] = [];
  const push = (claim: string, value: unknown, label: string, explanation: string, isTime = false): void => {
    const time = isTime ? numericTime(value, now, options) : undefined;
    rows.push({ claim, value: display(value), label, explanation, ...(time !== undefined ? { time } : {}) });
  };

  for (const [claim, info] of Object.entries(registered)) {
    if (!Object.hasOwn(claims, claim)) {
      continue;
    }
    const explanation = claim === 'jti'
      ? `A unique credential id. The API server records it in audit logs as authentication.kubernetes.io/credential-id JTI=${display(claims.jti)}, so you can trace every request made with this token.`
      : info.explanation;
    push(claim, claims[claim], info.label, explanation, info.isTime === true);
  }

  const k8s = kubernetesClaims(claims);
  const raw = claims['kubernetes.io'];
  if (k8s.kind === 'bound' && typeof raw === 'object' && raw !== null) {
    push('kubernetes.io.namespace', k8s.namespace, 'Namespace', 'The namespace of the service account the token belongs to.');
    push('kubernetes.io.serviceaccount.name', k8s.serviceAccount.name, 'Service account', 'The service account the token authenticates as.');
    if (k8s.serviceAccount.uid !== undefined) {
      push('kubernetes.io.serviceaccount.uid', k8s.serviceAccount.uid, 'Service account uid', 'If the service account is deleted and recreated with the same name, the uid changes and this token stops working.');
    }
    if (k8s.binding !== undefined) {
      const kind = k8s.binding.kind;
      const key = kind.toLowerCase();
      push(`kubernetes.io.${key}.name`, k8s.binding.name, `Bound ${kind.toLowerCase()}`, `The token is bound to this ${kind}: it becomes invalid once the ${kind} is gone${kind === 'Pod' ? ' (a Pod being deleted keeps it valid until its deletionTimestamp plus 60 s)' : ''}. The API server caches token checks for 10 s, so a refusal can take that long.`);
      if (k8s.binding.uid !== undefined) {
        push(`kubernetes.io.${key}.uid`, k8s.binding.uid, `Bound ${kind.toLowerCase()} uid`, `The exact ${kind} instance; a new ${kind} with the same name does not keep the token alive.`);
      }
    }
    if (k8s.node !== undefined) {
      push('kubernetes.io.node.name', k8s.node.name, 'Node of the pod', 'The node the bound pod was running on when the token was issued (informational; not checked by the API server).');
      if (k8s.node.uid !== undefined) {
        push('kubernetes.io.node.uid', k8s.node.uid, 'Node uid', 'The uid of that node.');
      }
    }
    if (k8s.warnAfter !== undefined) {
      push('kubernetes.io.warnafter', k8s.warnAfter, 'Warn after', 'This token was extended to live about a year for old clients. After this moment the cluster still accepts it but flags it as stale (audit annotation authentication.k8s.io/stale-token).', true);
    }
    const known = new Set(['namespace', 'serviceaccount', 'pod', 'secret', 'node', 'warnafter']);
    for (const [key, value] of Object.entries(raw)) {
      if (!known.has(key)) {
        push(`kubernetes.io.${key}`, value, key, 'A kubernetes.io claim this extension does not know.');
      }
    }
  } else if (raw !== undefined) {
    push('kubernetes.io', raw, 'kubernetes.io', k8s.kind === 'not-kubernetes' ? k8s.reason : 'Kubernetes claims.');
  }

  for (const [claim, value] of Object.entries(claims)) {
    if (Object.hasOwn(registered, claim) || claim === 'kubernetes.io') {
      continue;
    }
    if (k8s.kind === 'legacy' && claim.startsWith('kubernetes.io/serviceaccount/')) {
      push(claim, value, claim.slice('kubernetes.io/serviceaccount/'.length), 'A legacy (Secret-based) service-account token claim. Such tokens never expire; prefer TokenRequest tokens.');
    } else {
      push(claim, value, claim, 'A claim not defined by the JWT standard or Kubernetes, shown as-is.');
    }
  }
  return rows;
}
