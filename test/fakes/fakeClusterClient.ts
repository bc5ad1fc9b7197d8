import { emptyRbacSnapshot, RbacIndex, type RbacSnapshot } from '../../src/core/access';
import { TokenError } from '../../src/core/errors';
import type {
  ClusterClient,
  ConnectionInfo,
  JsonWebKeySet,
  OpenIdConfiguration,
  ListOptions,
  NamespaceSummary,
  Page,
  PodSummary,
  RbacListing,
  SubjectAccessReviewResult,
  SubjectAccessReviewSpec,
  SecretSummary,
  ServiceAccountSummary,
  TokenRequestResult,
} from '../../src/kube/clusterClient';
import type { TokenRequestOptions } from '../../src/core/tokenRequest/tokenRequest';
import { fakeJwt } from '../fixtures/syntheticTokens';

type Method = 'listRbac' | 'subjectAccessReview' | 'listNamespaces' | 'listServiceAccounts' | 'listPods' | 'listSecrets' | 'getServiceAccount' | 'createToken' | 'getJwks' | 'getOpenIdConfiguration';

/** One request the fake answered (or refused), for assertions on what was asked. */
export interface FakeCall {
  readonly method: Method;
  readonly namespace?: string;
  readonly continueToken?: string;
  readonly limit?: number;
}

/**
 * A cluster in memory behind the ClusterClient interface: namespaces, service accounts and secrets, paged
 * with opaque continue tokens like the API server's, cancellable through the request's signal. Failures are
 * scripted per method (`failNext`), and a request can be held until the test releases it (`hold`).
 * Methods the unit tests have no use for throw, naming themselves.
 */
export class FakeClusterClient implements Partial<ClusterClient> {
  readonly calls: FakeCall[] = [];
  namespaces: NamespaceSummary[] = [];
  serviceAccounts: ServiceAccountSummary[] = [];
  secrets: SecretSummary[] = [];
  pods: PodSummary[] = [];
  /** Continue tokens handed out before this generation are answered with 410 Expired. */
  private _generation = 0;
  private readonly _failures = new Map<Method, unknown[]>();
  private readonly _holds = new Map<Method, Promise<void>>();
  issued = 0;
  /** The cluster's published signing keys and issuer (OIDC discovery). */
  jwks: JsonWebKeySet = { keys: [] };
  issuer = 'https://kubernetes.default.svc';
  /** The cluster's RBAC objects; kinds the caller may not list, and whether it may create SubjectAccessReviews. */
  rbac: RbacSnapshot = emptyRbacSnapshot;
  rbacForbidden: string[] = [];
  subjectAccessReviewsAllowed = true;
  /** The cluster's clock, for the tokens it issues (a test's virtual clock). */
  now: () => number = Date.now;

  constructor(readonly connectionInfo: ConnectionInfo = fakeConnectionInfo('fake')) {}

  /** The next call of `method` rejects with `error` (queue several by calling again). */
  failNext(method: Method, error: unknown): void {
    this._failures.set(method, [...(this._failures.get(method) ?? []), error]);
  }

  /** Calls of `method` wait until the returned release function is called. */
  hold(method: Method): () => void {
    let release!: () => void;
    this._holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this._holds.delete(method);
      release();
    };
  }

  /** Every continue token given out so far now expires (as after an etcd compaction). */
  expireContinueTokens(): void {
    this._generation++;
  }

  listNamespaces(options: ListOptions = {}): Promise<Page<NamespaceSummary>> {
    return this._list('listNamespaces', this.namespaces, options);
  }

  listServiceAccounts(options: ListOptions & { readonly namespace?: string } = {}): Promise<Page<ServiceAccountSummary>> {
    const items = options.namespace === undefined ? this.serviceAccounts : this.serviceAccounts.filter((sa) => sa.namespace === options.namespace);
    return this._list('listServiceAccounts', items, options, options.namespace);
  }

  listPods(namespace: string, options: ListOptions = {}): Promise<Page<PodSummary>> {
    const serviceAccount = /^spec\.serviceAccountName=(.+)$/.exec(options.fieldSelector ?? '')?.[1];
    const items = this.pods.filter((p) => p.namespace === namespace && (serviceAccount === undefined || (p.serviceAccountName ?? 'default') === serviceAccount));
    return this._list('listPods', items, options, namespace);
  }

  /** The namespace's legacy token Secrets (summaries carry no data, like the real client's). */
  listLegacyTokenSecrets(namespace: string, options: ListOptions = {}): Promise<Page<SecretSummary>> {
    return this.listSecrets(namespace, { ...options, fieldSelector: 'type=kubernetes.io/service-account-token' });
  }

  listSecrets(namespace: string, options: ListOptions = {}): Promise<Page<SecretSummary>> {
    const type = /^type=(.+)$/.exec(options.fieldSelector ?? '')?.[1];
    const items = this.secrets.filter((s) => s.namespace === namespace && (type === undefined || s.type === type));
    return this._list('listSecrets', items, options, namespace);
  }

  async getServiceAccount(namespace: string, name: string): Promise<ServiceAccountSummary> {
    await this._enter({ method: 'getServiceAccount', namespace });
    const found = this.serviceAccounts.find((sa) => sa.namespace === namespace && sa.name === name);
    if (found === undefined) {
      throw new TokenError('ERR_NOT_FOUND', `serviceaccounts "${name}" not found`);
    }
    return found;
  }

  async createToken(options: TokenRequestOptions): Promise<TokenRequestResult> {
    await this._enter({ method: 'createToken', namespace: options.namespace });
    this.issued++;
    const iat = Math.floor(this.now() / 1000);
    const seconds = options.expirationSeconds ?? 3600;
    const token = fakeJwt({ alg: 'RS256', kid: 'fake' }, {
      aud: options.audiences ?? ['https://kubernetes.default.svc'],
      exp: iat + seconds,
      iat,
      iss: this.issuer,
      jti: `jti-${this.issued}`,
      sub: `system:serviceaccount:${options.namespace}:${options.serviceAccount}`,
      'kubernetes.io': { namespace: options.namespace, serviceaccount: { name: options.serviceAccount, uid: 'uid-sa' } },
    });
    return {
      tokenRequest: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: options.audiences ?? [], expirationSeconds: seconds },
        status: { token, expirationTimestamp: new Date((iat + seconds) * 1000).toISOString() },
      },
      token,
      warnings: [],
      httpStatus: 201,
    } as unknown as TokenRequestResult;
  }

  async listRbac(): Promise<RbacListing> {
    await this._enter({ method: 'listRbac' });
    return { snapshot: this.rbacForbidden.length > 0 ? emptyRbacSnapshot : this.rbac, complete: this.rbacForbidden.length === 0, missingPermissions: [...this.rbacForbidden] };
  }

  /** Answers from the RBAC objects alone (the fake has no other authorizer). */
  async subjectAccessReview(spec: SubjectAccessReviewSpec): Promise<SubjectAccessReviewResult> {
    await this._enter({ method: 'subjectAccessReview' });
    if (!this.subjectAccessReviewsAllowed) {
      return { available: false, missingPermission: 'create subjectaccessreviews.authorization.k8s.io', message: 'subjectaccessreviews.authorization.k8s.io is forbidden' };
    }
    const decision = RbacIndex.build(this.rbac).authorize({ ...(spec.user === undefined ? {} : { user: spec.user }), groups: spec.groups ?? [] }, spec.resourceAttributes);
    return { available: true, allowed: decision.allowed, denied: false };
  }

  async getOpenIdConfiguration(): Promise<OpenIdConfiguration> {
    await this._enter({ method: 'getOpenIdConfiguration' });
    return { issuer: this.issuer, jwks_uri: `${this.connectionInfo.server}/openid/v1/jwks` };
  }

  async getJwks(): Promise<JsonWebKeySet> {
    await this._enter({ method: 'getJwks' });
    return this.jwks;
  }

  dispose(): void {}

  private async _list<T>(method: Method, all: readonly T[], options: ListOptions, namespace?: string): Promise<Page<T>> {
    await this._enter({ method, ...(namespace === undefined ? {} : { namespace }), ...(options.continueToken === undefined ? {} : { continueToken: options.continueToken }), ...(options.limit === undefined ? {} : { limit: options.limit }) }, options.signal);
    let start = 0;
    let restarted = false;
    if (options.continueToken !== undefined) {
      const [generation, offset] = options.continueToken.split(':').map(Number);
      if (generation !== this._generation) {
        if (options.restartIfExpired !== true) {
          throw new TokenError('ERR_EXPIRED', 'The provided continue parameter is too old to display a consistent list result.');
        }
        restarted = true;
      } else {
        start = offset!;
      }
    }
    const limit = options.limit ?? 500;
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? `${this._generation}:${start + limit}` : undefined;
    return {
      items: [...items],
      ...(next === undefined ? {} : { continueToken: next, remainingItemCount: all.length - start - limit }),
      ...(restarted ? { restarted: true as const } : {}),
    };
  }

  private async _enter(call: FakeCall, signal?: AbortSignal): Promise<void> {
    this.calls.push(call);
    const held = this._holds.get(call.method);
    if (held !== undefined) {
      await Promise.race([held, aborted(signal)]);
    }
    if (signal?.aborted === true) {
      throw new TokenError('ERR_CANCELLED', 'The request was cancelled.');
    }
    const failure = this._failures.get(call.method)?.shift();
    if (failure !== undefined) {
      throw failure;
    }
  }
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
    }
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function fakeConnectionInfo(contextName: string, overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    contextName,
    clusterName: `${contextName}-cluster`,
    userName: `${contextName}-user`,
    server: 'https://127.0.0.1:6443',
    namespace: 'default',
    tlsVerificationDisabled: false,
    caPresent: true,
    authKind: 'token',
    ...overrides,
  };
}

export function namespace(name: string, phase = 'Active'): NamespaceSummary {
  return { name, uid: `uid-ns-${name}`, phase, labels: {} };
}

export function serviceAccount(ns: string, name: string, annotations: Record<string, string> = {}): ServiceAccountSummary {
  return { namespace: ns, name, uid: `uid-sa-${ns}-${name}`, annotations, labels: {}, secrets: [], imagePullSecrets: [] };
}

export function legacyTokenSecret(ns: string, name: string, serviceAccountName: string): SecretSummary {
  return {
    namespace: ns,
    name,
    uid: `uid-secret-${ns}-${name}`,
    type: 'kubernetes.io/service-account-token',
    labels: {},
    annotations: { 'kubernetes.io/service-account.name': serviceAccountName },
    serviceAccountName,
  };
}

export function pod(ns: string, name: string, serviceAccountName: string): PodSummary {
  return { namespace: ns, name, uid: `uid-pod-${ns}-${name}`, serviceAccountName, phase: 'Running', nodeName: 'worker-1' };
}
