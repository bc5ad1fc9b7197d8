import type { AccessGrant, AccessPath, AccountAccessReport, RbacSubject } from '../core/access';
import type { SecretSummary, ServiceAccountSummary } from '../kube/clusterClient';
import type { StoredTokenMeta } from '../platform/tokenStore';
/**
 * The explorer's nodes: plain data with a `kind` discriminant (TreeItems are built in getTreeItem).
 * Every node has a `key`, unique in the tree and stable across refreshes (it is the TreeItem id), and
 * the key of its parent (for `getParent` / `reveal`). Plain data so the integration tests can read them.
 */

export type ErrorAction = 'retry' | 'switchContext' | 'openKubeconfig' | 'pickKubeconfigFile' | 'selectNamespaces';

interface NodeBase {
  readonly key: string;
  readonly parentKey?: string;
}

export interface ContextNode extends NodeBase {
  readonly kind: 'context';
  readonly context: string;
  readonly cluster: string;
  readonly user: string;
  readonly server: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
  readonly tlsVerificationDisabled: boolean;
  readonly authKind: string;
}

export interface NamespaceNode extends NodeBase {
  readonly kind: 'namespace';
  readonly context: string;
  readonly name: string;
  readonly phase?: string;
}

/** Carries what `saTokens.requestToken` needs: {context, namespace, name, uid, annotations}. */
export interface ServiceAccountNode extends NodeBase {
  readonly kind: 'serviceAccount';
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly secrets: readonly string[];
  readonly imagePullSecrets: readonly string[];
  /** Listed from the tokens stored for it because the server could not be asked (its uid and details are unknown). */
  readonly fromTokenStore?: true;
}

/** A token this extension issued (metadata only; the token stays in SecretStorage). */
export interface IssuedTokenNode
  extends NodeBase,
    Pick<StoredTokenMeta, 'id' | 'context' | 'namespace' | 'serviceAccount' | 'audiences' | 'issuedAt' | 'expiresAt' | 'autoRenew'> {
  readonly kind: 'issuedToken';
}

/** A `kubernetes.io/service-account-token` secret: a long-lived credential. */
export interface LegacyTokenNode extends NodeBase {
  readonly kind: 'legacyToken';
  readonly context: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly name: string;
  readonly creationTimestamp?: string;
  readonly lastUsed?: string;
  readonly invalidSince?: string;
}

/** "Access": who can get this service account's credentials (expands into the ways, then the subjects). */
export interface AccessNode extends NodeBase {
  readonly kind: 'access';
  readonly context: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** One way of getting the account's credentials (mint, run as, impersonate, read legacy tokens, escalate). */
export interface AccessPathNode extends NodeBase {
  readonly kind: 'accessPath';
  readonly context: string;
  readonly path: AccessPath;
  readonly basis: AccountAccessReport['confirmation'];
}

/** A user, group or service account that has that way, with the bindings and roles that grant it. */
export interface AccessSubjectNode extends NodeBase {
  readonly kind: 'accessSubject';
  readonly context: string;
  readonly subject: RbacSubject;
  readonly grants: readonly AccessGrant[];
  readonly secondOrder: boolean;
}

export interface LoadMoreNode extends NodeBase {
  readonly kind: 'loadMore';
  readonly parentKey: string;
  readonly loaded: number;
  readonly remaining?: number;
}

export interface ErrorNode extends NodeBase {
  readonly kind: 'error';
  /** A TokenErrorCode, or ERR_UNKNOWN. */
  readonly code: string;
  readonly title: string;
  /** The server's (or loader's) reason. */
  readonly message: string;
  readonly hint?: string;
  readonly actions: readonly ErrorAction[];
}

export interface ActionNode extends NodeBase {
  readonly kind: 'action';
  readonly action: ErrorAction;
  readonly parentKey: string;
}

export interface InfoNode extends NodeBase {
  readonly kind: 'info';
  readonly message: string;
  readonly tooltip?: string;
  readonly action?: ErrorAction;
  /** A load in flight: the row spins. */
  readonly loading?: true;
}

export type AccountNode =
  | ContextNode
  | NamespaceNode
  | ServiceAccountNode
  | IssuedTokenNode
  | LegacyTokenNode
  | AccessNode
  | AccessPathNode
  | AccessSubjectNode
  | LoadMoreNode
  | ErrorNode
  | ActionNode
  | InfoNode;

export const rootKey = 'root';

export function contextKey(context: string): string {
  return `ctx:${context}`;
}

export function namespaceKey(context: string, namespace: string): string {
  return `ns:${context}/${namespace}`;
}

export function serviceAccountKey(context: string, namespace: string, name: string): string {
  return `sa:${context}/${namespace}/${name}`;
}

// ── node factories: one place builds each kind from what the kube layer returns ──

export function namespaceNode(context: string, name: string, parentKey: string, phase?: string): NamespaceNode {
  return { kind: 'namespace', key: namespaceKey(context, name), parentKey, context, name, ...(phase === undefined ? {} : { phase }) };
}

export function serviceAccountNode(context: string, parentKey: string, sa: ServiceAccountSummary): ServiceAccountNode {
  return {
    kind: 'serviceAccount',
    key: serviceAccountKey(context, sa.namespace, sa.name),
    parentKey,
    context,
    namespace: sa.namespace,
    name: sa.name,
    uid: sa.uid,
    annotations: sa.annotations,
    ...(sa.creationTimestamp === undefined ? {} : { creationTimestamp: sa.creationTimestamp }),
    ...(sa.automountServiceAccountToken === undefined ? {} : { automountServiceAccountToken: sa.automountServiceAccountToken }),
    secrets: sa.secrets,
    imagePullSecrets: sa.imagePullSecrets,
  };
}

export function infoNode(parentKey: string, id: string, message: string, action?: ErrorAction, tooltip?: string): InfoNode {
  return { kind: 'info', key: `info:${parentKey}:${id}`, parentKey, message, ...(action === undefined ? {} : { action }), ...(tooltip === undefined ? {} : { tooltip }) };
}

/** The tokens this extension issued for `sa`, newest first. */
export function issuedTokenNodes(sa: ServiceAccountNode, tokens: readonly StoredTokenMeta[]): IssuedTokenNode[] {
  return tokens
    .filter((t) => t.context === sa.context && t.namespace === sa.namespace && t.serviceAccount === sa.name)
    .sort((a, b) => b.issuedAt - a.issuedAt)
    .map((t) => ({
      kind: 'issuedToken',
      key: `tok:${t.id}`,
      parentKey: sa.key,
      id: t.id,
      context: t.context,
      namespace: t.namespace,
      serviceAccount: t.serviceAccount,
      audiences: t.audiences,
      issuedAt: t.issuedAt,
      expiresAt: t.expiresAt,
      ...(t.autoRenew === undefined ? {} : { autoRenew: t.autoRenew }),
    }));
}

export function legacyTokenNode(sa: ServiceAccountNode, secret: SecretSummary): LegacyTokenNode {
  return {
    kind: 'legacyToken',
    key: `legacy:${sa.context}/${sa.namespace}/${secret.name}`,
    parentKey: sa.key,
    context: sa.context,
    namespace: sa.namespace,
    serviceAccount: sa.name,
    name: secret.name,
    ...(secret.creationTimestamp === undefined ? {} : { creationTimestamp: secret.creationTimestamp }),
    ...(secret.legacyTokenLastUsed === undefined ? {} : { lastUsed: secret.legacyTokenLastUsed }),
    ...(secret.legacyTokenInvalidSince === undefined ? {} : { invalidSince: secret.legacyTokenInvalidSince }),
  };
}

export function accessNode(sa: ServiceAccountNode): AccessNode {
  return { kind: 'access', key: `access:${sa.key}`, parentKey: sa.key, context: sa.context, namespace: sa.namespace, serviceAccount: sa.name };
}

/** The ways of a report as nodes (the ones that do not apply to this account left out). */
export function accessPathNodes(parent: AccessNode, report: AccountAccessReport): AccessPathNode[] {
  return report.paths
    .filter((path) => path.applicable)
    .map((path) => ({ kind: 'accessPath', key: `${parent.key}/${path.kind}`, parentKey: parent.key, context: parent.context, path, basis: report.confirmation }));
}

export function accessSubjectNodes(parent: AccessPathNode, subjects: readonly { readonly subject: RbacSubject; readonly grants: readonly AccessGrant[] }[]): AccessSubjectNode[] {
  return subjects.map(({ subject, grants }) => ({
    kind: 'accessSubject',
    key: `${parent.key}/${subject.kind}:${subject.namespace ?? ''}:${subject.name}`,
    parentKey: parent.key,
    context: parent.context,
    subject,
    grants,
    secondOrder: parent.path.secondOrder,
  }));
}
