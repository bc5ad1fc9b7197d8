/** `ClusterClient` over one kubeconfig context, through `KubeTransport` (keep-alive HTTPS). */
import { buildTokenRequestBody, buildTokenRequestQuery, tokenRequestPath } from '../core/tokenRequest/tokenRequest';
import { TokenError } from '../core/errors';
import { toClusterRole, toClusterRoleBinding, toRole, toRoleBinding } from '../core/access/rbacObjects';
import type {
  AsTokenOptions,
  BoundObjectCheck,
  BoundObjectKind,
  ClusterClient,
  ClusterClientOptions,
  ConnectionInfo,
  JsonWebKeySet,
  KubeObject,
  ListOptions,
  NamespaceSummary,
  NodeSummary,
  OpenIdConfiguration,
  Page,
  PodSummary,
  RbacKind,
  RbacListing,
  RequestOptions,
  SecretSummary,
  ServiceAccountSummary,
  SubjectAccessReviewResult,
  SubjectAccessReviewSpec,
  SubjectRulesResult,
  TokenRequestObject,
  TokenRequestOptions,
  TokenRequestResult,
  TokenReviewResult,
  UserInfo,
} from './clusterClient';
import type { ResolvedContext } from './kubeconfig';
import type { RequestDescription } from './kubeErrors';
import { toNamespaceSummary, toNodeSummary, toPodSummary, toSecretSummary, toServiceAccountSummary, objectsOfTable, withoutManagedFields } from './summaries';
import { KubeTransport, type TransportRequest } from './transport';
import { warningHeaderValues, warningTexts } from './warnings';

type Json = Record<string, unknown>;

export const defaultTimeoutMs = 30_000;
export const defaultPageSize = 500;
const rbacGroup = 'rbac.authorization.k8s.io';
/** Cap for the "walk every page" lists used by pickers (pods, secrets, nodes). */
export const pickerListCap = 10_000;

interface ListJson {
  kind?: string;
  metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string };
  items?: unknown[];
}

export class KubeClusterClient implements ClusterClient {
  readonly connectionInfo: ConnectionInfo;
  private readonly _transport: KubeTransport;
  private readonly _timeoutMs: number;
  private readonly _pageSize: number;
  private _openId?: Promise<OpenIdConfiguration>;
  private _jwks?: Promise<JsonWebKeySet>;

  constructor(resolved: ResolvedContext, options: ClusterClientOptions = {}) {
    this._transport = new KubeTransport(resolved);
    this.connectionInfo = this._transport.connectionInfo;
    this._timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this._pageSize = options.pageSize ?? defaultPageSize;
  }

  // ---- lists ------------------------------------------------------------------------------

  listNamespaces(options: ListOptions = {}): Promise<Page<NamespaceSummary>> {
    return this._page('/api/v1/namespaces', options, { verb: 'list', resource: 'namespaces' }, toNamespaceSummary);
  }

  listServiceAccounts(options: ListOptions & { readonly namespace?: string } = {}): Promise<Page<ServiceAccountSummary>> {
    const ns = options.namespace;
    const path = ns === undefined ? '/api/v1/serviceaccounts' : `/api/v1/namespaces/${enc(ns)}/serviceaccounts`;
    return this._page(path, options, { verb: 'list', resource: 'serviceaccounts', ...(ns === undefined ? {} : { namespace: ns }) }, toServiceAccountSummary);
  }

  async *walkServiceAccounts(
    options: Omit<ListOptions, 'continueToken'> & { readonly namespace?: string; readonly onRestart?: () => void } = {},
  ): AsyncIterable<ServiceAccountSummary[]> {
    const pages = this._pages((continueToken) => this.listServiceAccounts({ ...options, ...opt('continueToken', continueToken) }), () => options.onRestart?.());
    for await (const page of pages) {
      yield page.items;
    }
  }


  listPods(namespace: string, options: ListOptions = {}): Promise<Page<PodSummary>> {
    return this._pickerList(`/api/v1/namespaces/${enc(namespace)}/pods`, options, { verb: 'list', resource: 'pods', namespace }, toPodSummary);
  }

  listSecrets(namespace: string, options: ListOptions = {}): Promise<Page<SecretSummary>> {
    // As kubectl get does: the server prints name and type, and no Secret's data (other credentials
    // among them) is downloaded to fill a picker. Servers without the format answer JSON.
    return this._pickerList(
      `/api/v1/namespaces/${enc(namespace)}/secrets`,
      options,
      { verb: 'list', resource: 'secrets', namespace },
      toSecretSummary,
      'application/json;as=Table;g=meta.k8s.io;v=v1, application/json',
    );
  }

  listLegacyTokenSecrets(namespace: string, options: ListOptions = {}): Promise<Page<SecretSummary>> {
    // Metadata only: names, labels and annotations are all a legacy token's row needs, and the tokens
    // themselves (each Secret's data) are never downloaded. Servers without the format answer JSON.
    return this._pickerList(
      `/api/v1/namespaces/${enc(namespace)}/secrets`,
      { ...options, fieldSelector: `type=${legacyTokenSecretType}` },
      { verb: 'list', resource: 'secrets', namespace },
      (raw) => ({ ...toSecretSummary(raw), type: legacyTokenSecretType }),
      'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json',
    );
  }

  listNodes(options: ListOptions = {}): Promise<Page<NodeSummary>> {
    return this._pickerList('/api/v1/nodes', options, { verb: 'list', resource: 'nodes' }, toNodeSummary);
  }

  // ---- gets -------------------------------------------------------------------------------

  async getServiceAccount(namespace: string, name: string, options: RequestOptions = {}): Promise<ServiceAccountSummary> {
    return toServiceAccountSummary(await this._getServiceAccountJson(namespace, name, options));
  }

  async getServiceAccountObject(namespace: string, name: string, options: RequestOptions = {}): Promise<KubeObject> {
    const raw = await this._getServiceAccountJson(namespace, name, options);
    // List items and some servers omit kind/apiVersion; "Show YAML" should read like kubectl get -o yaml.
    return { apiVersion: 'v1', kind: 'ServiceAccount', ...withoutManagedFields(raw) };
  }

  async getPod(namespace: string, name: string, options: RequestOptions = {}): Promise<PodSummary> {
    return toPodSummary(await this._get(`/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`, options, { verb: 'get', resource: 'pods', namespace, name }));
  }

  async getSecret(namespace: string, name: string, options: RequestOptions = {}): Promise<SecretSummary> {
    return toSecretSummary(await this._get(`/api/v1/namespaces/${enc(namespace)}/secrets/${enc(name)}`, options, { verb: 'get', resource: 'secrets', namespace, name }));
  }

  async getNode(name: string, options: RequestOptions = {}): Promise<NodeSummary> {
    return toNodeSummary(await this._get(`/api/v1/nodes/${enc(name)}`, options, { verb: 'get', resource: 'nodes', name }));
  }

  async checkBoundObject(
    ref: { readonly kind: BoundObjectKind; readonly name: string; readonly namespace?: string; readonly uid?: string },
    options: RequestOptions = {},
  ): Promise<BoundObjectCheck> {
    const needNamespace = (): string => {
      if (ref.namespace === undefined) {throw new TokenError('ERR_INPUT_INVALID', `A ${ref.kind} is namespaced; the bound object reference needs a namespace.`);}
      return ref.namespace;
    };
    let uid: string;
    try {
      switch (ref.kind) {
        case 'Pod':
          uid = (await this.getPod(needNamespace(), ref.name, options)).uid;
          break;
        case 'Secret':
          uid = (await this.getSecret(needNamespace(), ref.name, options)).uid;
          break;
        case 'Node':
          uid = (await this.getNode(ref.name, options)).uid;
          break;
      }
    } catch (e) {
      if ((e as TokenError).code === 'ERR_NOT_FOUND') {return { exists: false };}
      throw e;
    }
    return { exists: true, uid, ...(ref.uid === undefined ? {} : { uidMatches: ref.uid === uid }) };
  }

  // ---- TokenRequest -----------------------------------------------------------------------

  async createToken(options: TokenRequestOptions, requestOptions: RequestOptions = {}): Promise<TokenRequestResult> {
    const path = tokenRequestPath(options) + query(buildTokenRequestQuery(options));
    const { body, response } = await this._transport.json<TokenRequestObject>(
      this._req('POST', path, requestOptions, {
        verb: 'create',
        resource: 'serviceaccounts',
        subresource: 'token',
        namespace: options.namespace,
        name: options.serviceAccount,
      }, buildTokenRequestBody(options)),
      // Real servers answer 201; 200 and 202 are accepted too (proxies, mimics).
      (s) => s === 200 || s === 201 || s === 202,
    );
    const token = body?.status?.token;
    if (typeof token !== 'string' || token === '') {
      throw new TokenError('ERR_SERVER', `The API server answered ${response.status} to the TokenRequest but returned no token.`, {
        hint: 'A webhook or proxy may have altered the response; retry, or check the cluster.',
      });
    }
    const date = response.headers.date;
    return {
      tokenRequest: body,
      token,
      warnings: warningTexts(warningHeaderValues(response.rawHeaders)),
      httpStatus: response.status,
      ...(date === undefined ? {} : { serverDate: date }),
    };
  }

  // ---- reviews ----------------------------------------------------------------------------

  async tokenReview(token: string, audiences?: readonly string[], options: RequestOptions = {}): Promise<TokenReviewResult> {
    const reqBody = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token, ...(audiences !== undefined && audiences.length > 0 ? { audiences: [...audiences] } : {}) },
    };
    const { body } = await this._transport.json<Json>(
      this._req('POST', '/apis/authentication.k8s.io/v1/tokenreviews', options, { verb: 'create', resource: 'tokenreviews', group: 'authentication.k8s.io' }, reqBody),
    );
    // The response echoes spec.token: only status is kept, so the token cannot travel further from here.
    const status = obj(body.status);
    const user = toUserInfo(status.user);
    const error = typeof status.error === 'string' && status.error !== '' ? status.error : undefined;
    return {
      authenticated: status.authenticated === true,
      ...(user === undefined ? {} : { user }),
      ...(Array.isArray(status.audiences) ? { audiences: status.audiences.map(String) } : {}),
      ...(error === undefined ? {} : { error }),
    };
  }

  async selfSubjectReview(options: AsTokenOptions = {}): Promise<UserInfo & { readonly warnings?: string[] }> {
    const { body, response } = await this._transport.json<Json>(
      this._req(
        'POST',
        '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        options,
        { verb: 'create', resource: 'selfsubjectreviews', group: 'authentication.k8s.io' },
        { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      ),
    );
    // e.g. the deprecation warning for an auto-generated legacy token, which the authenticator adds.
    const warnings = warningTexts(warningHeaderValues(response.rawHeaders));
    return { ...(toUserInfo(obj(body.status).userInfo) ?? {}), ...(warnings.length > 0 ? { warnings } : {}) };
  }

  async selfSubjectRulesReview(namespace: string, options: AsTokenOptions = {}): Promise<SubjectRulesResult> {
    const { body } = await this._transport.json<Json>(
      this._req(
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
        options,
        { verb: 'create', resource: 'selfsubjectrulesreviews', group: 'authorization.k8s.io' },
        { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
      ),
    );
    const status = obj(body.status);
    const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);
    const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
    return {
      resourceRules: list(status.resourceRules).map((r) => ({
        verbs: strings(r.verbs) ?? [],
        ...opt('apiGroups', strings(r.apiGroups)),
        ...opt('resources', strings(r.resources)),
        ...opt('resourceNames', strings(r.resourceNames)),
      })),
      nonResourceRules: list(status.nonResourceRules).map((r) => ({ verbs: strings(r.verbs) ?? [], ...opt('nonResourceURLs', strings(r.nonResourceURLs)) })),
      incomplete: status.incomplete === true,
      ...opt('evaluationError', typeof status.evaluationError === 'string' && status.evaluationError !== '' ? status.evaluationError : undefined),
    };
  }

  // ---- RBAC and access reviews ------------------------------------------------------------

  async getRbacObject(kind: RbacKind, name: string, namespace?: string, options: RequestOptions = {}): Promise<KubeObject> {
    const resource = `${kind.toLowerCase()}s`;
    const scope = namespace === undefined ? '' : `/namespaces/${enc(namespace)}`;
    const raw = await this._get(`/apis/${rbacGroup}/v1${scope}/${resource}/${enc(name)}`, options, { verb: 'get', resource, group: rbacGroup, ...(namespace === undefined ? {} : { namespace }), name });
    return { apiVersion: `${rbacGroup}/v1`, kind, ...withoutManagedFields(raw) };
  }

  async listRbac(options: RequestOptions & { readonly limit?: number } = {}): Promise<RbacListing> {
    const walk = async <T>(resource: string, project: (raw: unknown) => T): Promise<{ items: T[]; missing?: string }> => {
      const describe = { verb: 'list', resource, group: rbacGroup };
      const items: T[] = [];
      const pages = this._pages(
        (continueToken) => this._page(`/apis/${rbacGroup}/v1/${resource}`, { ...options, ...opt('continueToken', continueToken) }, describe, project),
        () => {
          items.length = 0;
        },
      );
      try {
        for await (const page of pages) {items.push(...page.items);}
      } catch (e) {
        // The UI says "unknown: you may not list …" rather than failing the whole view.
        if ((e as TokenError).code === 'ERR_FORBIDDEN') {return { items: [], missing: `list ${resource}.${rbacGroup} at the cluster scope` };}
        throw e;
      }
      return { items };
    };
    const [roles, clusterRoles, roleBindings, clusterRoleBindings] = await Promise.all([
      walk('roles', toRole),
      walk('clusterroles', toClusterRole),
      walk('rolebindings', toRoleBinding),
      walk('clusterrolebindings', toClusterRoleBinding),
    ]);
    const missingPermissions = [roles, clusterRoles, roleBindings, clusterRoleBindings].flatMap((r) => (r.missing === undefined ? [] : [r.missing]));
    return {
      snapshot: { roles: roles.items, clusterRoles: clusterRoles.items, roleBindings: roleBindings.items, clusterRoleBindings: clusterRoleBindings.items },
      complete: missingPermissions.length === 0,
      missingPermissions,
    };
  }

  async subjectAccessReview(spec: SubjectAccessReviewSpec, options: RequestOptions = {}): Promise<SubjectAccessReviewResult> {
    const a = spec.resourceAttributes;
    const body = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        resourceAttributes: {
          ...opt('namespace', a.namespace),
          verb: a.verb,
          group: a.group,
          resource: a.resource,
          ...opt('subresource', a.subresource),
          ...opt('name', a.name),
        },
        ...opt('user', spec.user),
        ...opt('groups', spec.groups === undefined ? undefined : [...spec.groups]),
        ...opt('uid', spec.uid),
        ...opt('extra', spec.extra === undefined ? undefined : Object.fromEntries(Object.entries(spec.extra).map(([k, v]) => [k, [...v]]))),
      },
    };
    const describe = { verb: 'create', resource: 'subjectaccessreviews', group: 'authorization.k8s.io' };
    let status: Json;
    try {
      const { body: answer } = await this._transport.json<Json>(this._req('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', options, describe, body));
      status = obj(answer.status);
    } catch (e) {
      if ((e as TokenError).code !== 'ERR_FORBIDDEN') {throw e;}
      return { available: false, missingPermission: 'create subjectaccessreviews.authorization.k8s.io at the cluster scope', message: (e as TokenError).message };
    }
    return {
      available: true,
      allowed: status.allowed === true,
      denied: status.denied === true,
      ...opt('reason', typeof status.reason === 'string' && status.reason !== '' ? status.reason : undefined),
      ...opt('evaluationError', typeof status.evaluationError === 'string' && status.evaluationError !== '' ? status.evaluationError : undefined),
    };
  }

  // ---- OIDC discovery ---------------------------------------------------------------------

  getOpenIdConfiguration(options: RequestOptions & { readonly refresh?: boolean } = {}): Promise<OpenIdConfiguration> {
    if (this._openId === undefined || options.refresh === true) {
      const p = this._get('/.well-known/openid-configuration', options, { verb: 'get' }) as Promise<unknown> as Promise<OpenIdConfiguration>;
      this._openId = p;
      p.catch(() => {
        if (this._openId === p) {this._openId = undefined;} // do not cache failures
      });
    }
    return this._openId;
  }

  getJwks(options: RequestOptions & { readonly refresh?: boolean } = {}): Promise<JsonWebKeySet> {
    if (this._jwks === undefined || options.refresh === true) {
      // kube-apiserver produces the key set only as application/jwk-set+json (406 to `Accept: application/json`).
      const request = { ...this._req('GET', '/openid/v1/jwks', options, { verb: 'get' }), accept: 'application/jwk-set+json, application/json' };
      const p = this._transport.json<Json>(request).then(({ body }) => {
        if (!Array.isArray(body.keys)) {
          throw new TokenError('ERR_SERVER', 'The API server\'s /openid/v1/jwks is not a JSON Web Key Set (no "keys").');
        }
        return body as unknown as JsonWebKeySet;
      });
      this._jwks = p;
      p.catch(() => {
        if (this._jwks === p) {this._jwks = undefined;}
      });
    }
    return this._jwks;
  }

  dispose(): void {
    this._transport.dispose();
  }

  // ---- helpers ----------------------------------------------------------------------------

  private _req(
    method: 'GET' | 'POST',
    path: string,
    options: AsTokenOptions,
    describe: Omit<RequestDescription, 'method' | 'path' | 'asToken'>,
    body?: unknown,
  ): TransportRequest {
    return {
      method,
      path,
      describe,
      timeoutMs: options.timeoutMs ?? this._timeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.asToken === undefined ? {} : { asToken: options.asToken }),
      ...(body === undefined ? {} : { body }),
    };
  }

  private async _get(path: string, options: RequestOptions, describe: Omit<RequestDescription, 'method' | 'path' | 'asToken'>): Promise<Json> {
    return (await this._transport.json<Json>(this._req('GET', path, options, describe))).body;
  }

  private _getServiceAccountJson(namespace: string, name: string, options: RequestOptions): Promise<Json> {
    return this._get(`/api/v1/namespaces/${enc(namespace)}/serviceaccounts/${enc(name)}`, options, { verb: 'get', resource: 'serviceaccounts', namespace, name });
  }

  private async _page<T>(
    path: string,
    options: ListOptions,
    describe: Omit<RequestDescription, 'method' | 'path' | 'asToken'>,
    project: (raw: unknown) => T,
    accept?: string,
  ): Promise<Page<T>> {
    const q: Record<string, string> = { limit: String(options.limit ?? this._pageSize) };
    if (options.continueToken !== undefined && options.continueToken !== '') {q.continue = options.continueToken;}
    if (options.labelSelector !== undefined && options.labelSelector !== '') {q.labelSelector = options.labelSelector;}
    if (options.fieldSelector !== undefined && options.fieldSelector !== '') {q.fieldSelector = options.fieldSelector;}
    const req = { ...this._req('GET', path + query(q), options, describe), ...(accept === undefined ? {} : { accept }) };
    const response = await this._transport.send(req);
    if (response.status === 410) {
      if (options.restartIfExpired === true && options.continueToken !== undefined) {
        const { continueToken: _expired, ...fromStart } = options;
        return { ...(await this._page(path, { ...fromStart, restartIfExpired: false }, describe, project, accept)), restarted: true };
      }
      const error = this._transport.fail(response, req);
      // A 410 Status may carry a continue token that resumes at the latest revision (an
      // inconsistent list); kept aside for the walkers' fallback.
      const resume = (parseJson(response.text) as ListJson | undefined)?.metadata?.continue;
      if (typeof resume === 'string' && resume !== '') {inconsistentContinue.set(error, resume);}
      throw error;
    }
    if (response.status < 200 || response.status >= 300) {throw this._transport.fail(response, req);}
    const body = parseJson(response.text) as ListJson | undefined;
    if (body === undefined) {throw this._transport.fail({ ...response, status: 502, headers: {}, text: `the response is not JSON: ${response.text.slice(0, 120)}` }, req);}
    const meta = body.metadata ?? {};
    return {
      items: (body.kind === 'Table' ? objectsOfTable(body) : (body.items ?? [])).map(project),
      ...opt('continueToken', typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined),
      ...opt('remainingItemCount', typeof meta.remainingItemCount === 'number' ? meta.remainingItemCount : undefined),
      ...opt('resourceVersion', typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined),
    };
  }

  /** With an explicit limit: one page. Without: every page, up to `pickerListCap` items. */
  private async _pickerList<T>(
    path: string,
    options: ListOptions,
    describe: Omit<RequestDescription, 'method' | 'path' | 'asToken'>,
    project: (raw: unknown) => T,
    accept?: string,
  ): Promise<Page<T>> {
    if (options.limit !== undefined) {return this._page(path, options, describe, project, accept);}
    const items: T[] = [];
    const pages = this._pages(
      (continueToken) => this._page(path, { ...options, ...opt('continueToken', continueToken) }, describe, project, accept),
      () => {
        items.length = 0;
      },
      options.continueToken,
    );
    for await (const page of pages) {
      items.push(...page.items);
      if (page.continueToken === undefined) {return { items, ...opt('resourceVersion', page.resourceVersion) };}
      if (items.length >= pickerListCap) {return { items, continueToken: page.continueToken };}
    }
    return { items };
  }

  /**
   * Every page of a list, following `continue`. A 410 Expired restarts from the first page (telling
   * `onRestart`, so callers drop what they collected) or resumes where the Status says (see expiredWalkStep).
   */
  private async *_pages<T>(
    fetchPage: (continueToken: string | undefined) => Promise<Page<T>>,
    onRestart: () => void,
    firstContinueToken?: string,
  ): AsyncGenerator<Page<T>> {
    let continueToken = firstContinueToken;
    let restarts = 0;
    for (;;) {
      let page: Page<T>;
      try {
        page = await fetchPage(continueToken);
      } catch (e) {
        const step = expiredWalkStep(e, continueToken, restarts);
        if (step === undefined) {throw e;}
        if ('resume' in step) {
          continueToken = step.resume;
        } else {
          restarts++;
          continueToken = undefined;
          onRestart();
        }
        continue;
      }
      yield page;
      if (page.continueToken === undefined) {return;}
      continueToken = page.continueToken;
    }
  }

}

/** For an ERR_EXPIRED from a list: the Status's continue token (resumes inconsistently at the latest revision). */
const inconsistentContinue = new WeakMap<object, string>();

const legacyTokenSecretType = 'kubernetes.io/service-account-token';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * How a walk reacts to 410 Expired: the first time, restart from the first page (a consistent
 * list; `onRestart` tells the caller to drop what it collected). If that expires again (the walk is
 * slower than the server's compaction window), resume from the Status's own continue token when it
 * has one, which completes the walk at the latest revision instead of looping; else restart again,
 * at most three times.
 */
function expiredWalkStep(e: unknown, continueToken: string | undefined, restarts: number): { restart: true } | { resume: string } | undefined {
  if ((e as TokenError).code !== 'ERR_EXPIRED' || continueToken === undefined) {return undefined;}
  const resume = typeof e === 'object' && e !== null ? inconsistentContinue.get(e) : undefined;
  if (restarts >= 1 && resume !== undefined) {return { resume };}
  return restarts < 3 ? { restart: true } : undefined;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function query(q: Record<string, string>): string {
  const s = new URLSearchParams(q).toString();
  return s === '' ? '' : `?${s}`;
}

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function toUserInfo(raw: unknown): UserInfo | undefined {
  if (typeof raw !== 'object' || raw === null) {return undefined;}
  const u = raw as Json;
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(obj(u.extra))) {
    if (Array.isArray(v)) {extra[k] = v.map(String);}
  }
  const info: UserInfo = {
    ...opt('username', typeof u.username === 'string' ? u.username : undefined),
    ...opt('uid', typeof u.uid === 'string' ? u.uid : undefined),
    ...opt('groups', Array.isArray(u.groups) ? u.groups.map(String) : undefined),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return Object.keys(info).length === 0 ? undefined : info;
}
