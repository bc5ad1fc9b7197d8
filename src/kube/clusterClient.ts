/**
 * The cluster seam: everything the UI (tree, wizard, inspector) needs from a Kubernetes API server,
 * expressed in plain data types. Nothing here mentions @kubernetes/client-node, so the UI can code
 * against it (and fakes can implement it) without loading the ~100 ms client-node bundle.
 *
 * Every method rejects with a `TokenError` (src/core/errors.ts); check `error.code`, never
 * `instanceof`, because this module is bundled separately from extension.js.
 */

import type { RbacSnapshot } from '../core/access/rbacObjects';
import type { ResourceAttributes } from '../core/access/ruleMatching';
import type { BoundObjectKind, TokenRequestOptions } from '../core/tokenRequest/tokenRequest';

// ---------------------------------------------------------------------------------------------
// Request plumbing

/** Per-call knobs shared by every request. */
export interface RequestOptions {
  /** Aborting rejects with ERR_CANCELLED and closes the underlying request. */
  readonly signal?: AbortSignal;
  /** Overrides the client's default per-request timeout (ms); expiry rejects with ERR_TIMEOUT. */
  readonly timeoutMs?: number;
}

export interface ListOptions extends RequestOptions {
  /** Page size; the client defaults to 500 (what kubectl uses). */
  readonly limit?: number;
  /** The `continue` token of the previous page. */
  readonly continueToken?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /**
   * When the continue token has expired (410), fetch the first page again and mark it `restarted`
   * (what a pager shown page by page wants), instead of failing with ERR_EXPIRED.
   */
  readonly restartIfExpired?: boolean;
}

/** One page of a list. `continueToken` is present only when more items remain. */
export interface Page<T> {
  readonly items: T[];
  readonly continueToken?: string;
  /** Sent by the server only when there is no selector; an estimate. */
  readonly remainingItemCount?: number;
  readonly resourceVersion?: string;
  /** The continue token had expired, so this is the first page again: drop the pages before it. */
  readonly restarted?: true;
}

/** A raw Kubernetes object as JSON (for "Show YAML"); keys as the server sent them. */
export type KubeObject = { readonly [key: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Summaries (UI-friendly projections of the API objects)

export interface NamespaceSummary {
  readonly name: string;
  readonly uid: string;
  readonly creationTimestamp?: string;
  /** `Active` or `Terminating`. */
  readonly phase?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ServiceAccountSummary {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly creationTimestamp?: string;
  readonly resourceVersion?: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Absent means "not set on the SA" (the pod's own setting or the default, true, applies). */
  readonly automountServiceAccountToken?: boolean;
  /** Names from `secrets[]`. */
  readonly secrets: string[];
  /** Names from `imagePullSecrets[]`. */
  readonly imagePullSecrets: string[];
}

export interface PodSummary {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly creationTimestamp?: string;
  /** `spec.serviceAccountName`; the server rejects binding a token to a pod running under another SA. */
  readonly serviceAccountName?: string;
  readonly nodeName?: string;
  /** `status.phase`: Pending, Running, Succeeded, Failed, Unknown. */
  readonly phase?: string;
  /** Set while the pod is being deleted. */
  readonly deletionTimestamp?: string;
}

export interface SecretSummary {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly creationTimestamp?: string;
  /** e.g. `Opaque`, `kubernetes.io/service-account-token`. */
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** For `kubernetes.io/service-account-token` secrets: annotation `kubernetes.io/service-account.name`. */
  readonly serviceAccountName?: string;
  /** For legacy token secrets: annotation `kubernetes.io/service-account.uid`. */
  readonly serviceAccountUid?: string;
  /** Label `kubernetes.io/legacy-token-last-used` (a date, `YYYY-MM-DD`). */
  readonly legacyTokenLastUsed?: string;
  /** Label `kubernetes.io/legacy-token-invalid-since` (a date, `YYYY-MM-DD`). */
  readonly legacyTokenInvalidSince?: string;
}

export interface NodeSummary {
  readonly name: string;
  readonly uid: string;
  readonly creationTimestamp?: string;
}

// ---------------------------------------------------------------------------------------------
// TokenRequest

/**
 * What to ask for: the core's `TokenRequestOptions` (src/core/tokenRequest/tokenRequest.ts). The body sent is
 * `buildTokenRequestBody` (field for field what kubectl sends), the query `buildTokenRequestQuery`.
 */
export type { BoundObjectKind, TokenRequestOptions };

/** The `TokenRequest` the server returned. Holds the token: keep in memory only, never log. */
export interface TokenRequestObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly creationTimestamp?: string;
    readonly [key: string]: unknown;
  };
  readonly spec: {
    readonly audiences: string[] | null;
    readonly expirationSeconds: number | null;
    readonly boundObjectRef: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
  };
  readonly status: {
    readonly token: string;
    readonly expirationTimestamp: string | null;
  };
}

export interface TokenRequestResult {
  readonly tokenRequest: TokenRequestObject;
  /** Same as `tokenRequest.status.token`, for convenience. */
  readonly token: string;
  /** Texts of the `Warning: 299 - "..."` headers, e.g. "requested expiration of 7200 seconds shortened to 3600 seconds". */
  readonly warnings: string[];
  /** The response `Date` header (RFC 7231), for clock-skew estimates. */
  readonly serverDate?: string;
  /** 200, 201 or 202 (all treated as success; real servers send 201). */
  readonly httpStatus: number;
}

// ---------------------------------------------------------------------------------------------
// Reviews and discovery

export interface UserInfo {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: string[];
  readonly extra?: Readonly<Record<string, string[]>>;
}

export interface TokenReviewResult {
  /** False when the server rejected the token (failures are 201 responses with `status.error`). */
  readonly authenticated: boolean;
  readonly user?: UserInfo;
  /** requested ∩ token audiences. */
  readonly audiences?: string[];
  /** Opaque server text, e.g. "[invalid bearer token, service account token has expired]". */
  readonly error?: string;
}

export interface ResourceRule {
  readonly verbs: string[];
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly resourceNames?: string[];
}

export interface NonResourceRule {
  readonly verbs: string[];
  readonly nonResourceURLs?: string[];
}

export interface SubjectRulesResult {
  readonly resourceRules: ResourceRule[];
  readonly nonResourceRules: NonResourceRule[];
  readonly incomplete: boolean;
  readonly evaluationError?: string;
}

export interface AsTokenOptions extends RequestOptions {
  /**
   * Authenticate with this bearer token instead of the kubeconfig user (same server, CA and TLS
   * settings; no client certificate, no exec plugin).
   */
  readonly asToken?: string;
}

export interface OpenIdConfiguration {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly response_types_supported?: string[];
  readonly subject_types_supported?: string[];
  readonly id_token_signing_alg_values_supported?: string[];
  readonly [key: string]: unknown;
}

export interface JsonWebKeySet {
  readonly keys: Array<{ readonly kid?: string; readonly kty: string; readonly alg?: string; readonly [key: string]: unknown }>;
}

/** Does a token's bound object still exist with the same uid? (If not, the token is already invalid.) */
export interface BoundObjectCheck {
  readonly exists: boolean;
  /** The live object's uid, when it exists. */
  readonly uid?: string;
  /** Only set when an expected uid was given and the object exists. */
  readonly uidMatches?: boolean;
}

// ---------------------------------------------------------------------------------------------
// RBAC and access reviews

export type { RbacSnapshot, ResourceAttributes };

export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

/** The four RBAC lists of a cluster; a forbidden list is named, not thrown. */
export interface RbacListing {
  /** What could be listed (a forbidden kind is empty). */
  readonly snapshot: RbacSnapshot;
  /** True when all four lists were read. */
  readonly complete: boolean;
  /** e.g. `list rolebindings.rbac.authorization.k8s.io at the cluster scope`; empty when complete. */
  readonly missingPermissions: string[];
}

/** Whose access to check: a user, groups, or both (a service account is its user name and groups). */
export interface SubjectAccessReviewSpec {
  readonly user?: string;
  readonly groups?: readonly string[];
  readonly uid?: string;
  readonly extra?: Readonly<Record<string, readonly string[]>>;
  readonly resourceAttributes: ResourceAttributes;
}

export type SubjectAccessReviewResult =
  | {
      readonly available: true;
      readonly allowed: boolean;
      /** An authorizer denied outright (not merely "no opinion"). */
      readonly denied: boolean;
      /** e.g. `RBAC: allowed by RoleBinding "jane-build/build" of Role "jane-build" to User "jane"`. */
      readonly reason?: string;
      readonly evaluationError?: string;
    }
  | {
      /** The caller may not create SubjectAccessReviews: nothing can be confirmed. */
      readonly available: false;
      readonly missingPermission: string;
      readonly message: string;
    };

// ---------------------------------------------------------------------------------------------
// Connection

export interface ConnectionInfo {
  readonly contextName: string;
  readonly clusterName: string;
  readonly userName: string;
  /** `https://host:port` (plus any path prefix) from the cluster entry. */
  readonly server: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
  /** True only when the kubeconfig sets `insecure-skip-tls-verify: true` for the cluster. */
  readonly tlsVerificationDisabled: boolean;
  /** The cluster entry carries a CA (`certificate-authority` or `-data`). */
  readonly caPresent: boolean;
  /** How the user authenticates, for display: token, tokenFile, clientCertificate, exec, authProvider, basic, none. */
  readonly authKind: 'token' | 'tokenFile' | 'clientCertificate' | 'exec' | 'authProvider' | 'basic' | 'none';
  /** `tls-server-name` from the cluster entry, if any. */
  readonly tlsServerName?: string;
  /** `proxy-url` from the cluster entry, if any (requests then go through client-node's proxy agent). */
  readonly proxyUrl?: string;
}

// ---------------------------------------------------------------------------------------------
// The client

export interface ClusterClient {
  readonly connectionInfo: ConnectionInfo;

  listNamespaces(options?: ListOptions): Promise<Page<NamespaceSummary>>;

  /**
   * One page of service accounts; `namespace` undefined = all namespaces (needs cluster-scope list).
   * A too-old `continueToken` rejects with ERR_EXPIRED: restart from the first page (or use
   * `walkServiceAccounts`, which does).
   */
  listServiceAccounts(options?: ListOptions & { readonly namespace?: string }): Promise<Page<ServiceAccountSummary>>;

  /**
   * Every service account, page by page (limit 500). A 410 Expired mid-walk restarts the listing
   * transparently; `onRestart` is told so the caller can drop what it already collected.
   */
  walkServiceAccounts(
    options?: Omit<ListOptions, 'continueToken'> & { readonly namespace?: string; readonly onRestart?: () => void },
  ): AsyncIterable<ServiceAccountSummary[]>;

  getServiceAccount(namespace: string, name: string, options?: RequestOptions): Promise<ServiceAccountSummary>;
  /** The whole object as the server sent it (for "Show YAML"); managedFields dropped. */
  getServiceAccountObject(namespace: string, name: string, options?: RequestOptions): Promise<KubeObject>;

  /**
   * Small lists for pickers. Without `limit` the client walks all pages (up to 10,000 items;
   * `continueToken` is set when cut). With `limit`, one page.
   */
  listPods(namespace: string, options?: ListOptions): Promise<Page<PodSummary>>;
  listSecrets(namespace: string, options?: ListOptions): Promise<Page<SecretSummary>>;
  /** The namespace's `kubernetes.io/service-account-token` Secrets, as metadata only (no data: the tokens are never fetched). */
  listLegacyTokenSecrets(namespace: string, options?: ListOptions): Promise<Page<SecretSummary>>;
  listNodes(options?: ListOptions): Promise<Page<NodeSummary>>;

  getPod(namespace: string, name: string, options?: RequestOptions): Promise<PodSummary>;
  getSecret(namespace: string, name: string, options?: RequestOptions): Promise<SecretSummary>;
  getNode(name: string, options?: RequestOptions): Promise<NodeSummary>;
  /** 404 → `{ exists: false }`; other failures reject. */
  checkBoundObject(
    ref: { readonly kind: BoundObjectKind; readonly name: string; readonly namespace?: string; readonly uid?: string },
    options?: RequestOptions,
  ): Promise<BoundObjectCheck>;

  /** POST .../serviceaccounts/{name}/token with dryRun/fieldManager/fieldValidation/pretty. */
  createToken(options: TokenRequestOptions, requestOptions?: RequestOptions): Promise<TokenRequestResult>;

  /** Needs `create tokenreviews`. The response echoes the token: it is dropped here. */
  tokenReview(token: string, audiences?: readonly string[], options?: RequestOptions): Promise<TokenReviewResult>;
  /** `kubectl auth whoami`; with `asToken`, who the token is. */
  /** `warnings`: the server's Warning headers (an auto-generated legacy token draws one). */
  selfSubjectReview(options?: AsTokenOptions): Promise<UserInfo & { readonly warnings?: string[] }>;
  selfSubjectRulesReview(namespace: string, options?: AsTokenOptions): Promise<SubjectRulesResult>;

  /**
   * Roles, ClusterRoles, RoleBindings and ClusterRoleBindings of every namespace, every page of each
   * (the four in parallel). A 403 on a list is reported in `missingPermissions`; other failures reject.
   */
  listRbac(options?: RequestOptions & { readonly limit?: number }): Promise<RbacListing>;
  /** One RBAC object as the server has it (for "Show YAML" of a binding or role); `namespace` for Roles and RoleBindings. */
  getRbacObject(kind: RbacKind, name: string, namespace?: string, options?: RequestOptions): Promise<KubeObject>;

  /** POST authorization.k8s.io/v1 SubjectAccessReview. A 403 resolves `{ available: false }`; other failures reject. */
  subjectAccessReview(spec: SubjectAccessReviewSpec, options?: RequestOptions): Promise<SubjectAccessReviewResult>;

  /** Cached per client. 403 → ERR_FORBIDDEN naming system:service-account-issuer-discovery. */
  getOpenIdConfiguration(options?: RequestOptions & { readonly refresh?: boolean }): Promise<OpenIdConfiguration>;
  /** Cached per client; pass `refresh` on an unknown `kid`. */
  getJwks(options?: RequestOptions & { readonly refresh?: boolean }): Promise<JsonWebKeySet>;

  /** Closes pooled connections. */
  dispose(): void;
}

// ---------------------------------------------------------------------------------------------
// Kubeconfig

export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
  /** The cluster's server URL, when the cluster entry exists. */
  readonly server?: string;
  /** Set when the context cannot be used (names a missing cluster or user), with an actionable text. */
  readonly problem?: string;
  /** The file that defined this context (first file wins). */
  readonly file?: string;
}

export interface KubeconfigLoadOptions {
  /** Explicit file or files (the `saTokens.kubeconfig` setting); overrides KUBECONFIG. */
  readonly paths?: string | readonly string[];
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to os.homedir(). */
  readonly homeDir?: string;
}

/** The merged kubeconfig, read-only. Opaque to the UI beyond these fields. */
export interface KubeconfigSnapshot {
  /** Files that were read, in merge order. */
  readonly files: string[];
  /** Every candidate file, including missing ones (watch these: creating one changes the config). */
  readonly watchFiles: string[];
  /** The merged `current-context` (may name nothing: see `currentContextProblem`). */
  readonly currentContext?: string;
  readonly currentContextProblem?: string;
  readonly contexts: KubeconfigContext[];
}

export interface ClusterClientOptions {
  /** In-memory context choice; defaults to the kubeconfig's current-context. Never written back. */
  readonly context?: string;
  /** Default per-request timeout in ms (the caller's setting). Default 30,000. */
  readonly timeoutMs?: number;
  /** Default page size. Default 500. */
  readonly pageSize?: number;
}
