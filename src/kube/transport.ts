/**
 * HTTP transport to one API server, for one kubeconfig context.
 *
 * Why raw node:https instead of client-node's generated APIs (which go through fetch/undici and
 * an ObjectSerializer): measured against the sandbox (see the report in bench), the generated path
 * adds per-request overhead (middleware chain, model (de)serialisation into classes with Date
 * objects, a fresh undici dispatcher per request for TLS clusters, so no connection reuse) that
 * costs more than the request itself on a fast cluster; its errors lose the Node error code
 * (`TypeError: fetch failed` with the TLS or ECONNREFUSED cause nested), and per-request timeouts
 * and cancellation are not exposed. client-node is still what authenticates: `applyToHTTPSOptions`
 * resolves CA, client certificates, tokens, token files, exec plugins and OIDC exactly as its own
 * clients do. This module only adds a keep-alive agent, timeouts, AbortSignal support and the
 * mapping of failures through kubeErrors.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
// Deep imports, not the package root: the root pulls in every generated API and model, which made
// the kube bundle take ~800 ms to load instead of ~180 ms (measured with Node 24 on the CI box).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Cluster, User } from '@kubernetes/client-node/dist/config_types.js';
import type { TokenError } from '../core/errors';
import type { ConnectionInfo } from './clusterClient';
import { ExecCredentialSource, type ExecClusterInfo, type ExecCredential } from './execCredentials';
import type { ResolvedContext } from './kubeconfig';
import {
  cancelledError,
  credentialError,
  errorFromNetwork,
  errorFromResponse,
  timeoutError,
  type ConnectionDescription,
  type RequestDescription,
} from './kubeErrors';

export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  /** API path plus query string, without the server's path prefix. */
  readonly path: string;
  readonly body?: unknown;
  /** Authenticate with this bearer token instead of the kubeconfig user. */
  readonly asToken?: string;
  /** The Accept header; JSON unless the path serves another media type. */
  readonly accept?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly describe: Omit<RequestDescription, 'method' | 'path' | 'asToken'>;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly text: string;
}

type Json = Record<string, unknown>;

export class KubeTransport {
  readonly connectionInfo: ConnectionInfo;
  private readonly _kc: KubeConfig;
  private readonly _url: URL;
  private readonly _agent: HttpAgent;
  private readonly _isHttps: boolean;
  private readonly _conn: ConnectionDescription;
  private readonly _user: User;
  private readonly _extraHeaders: Record<string, string | string[]>;
  private readonly _tokenFile?: string;
  private readonly _execConfig?: Json;
  /** The user's exec plugin, run by us rather than client-node (timeouts, KUBERNETES_EXEC_INFO, 401). */
  private readonly _exec?: ExecCredentialSource;
  private readonly _kcWithoutUser: KubeConfig;
  private _tokenOnly?: RequestOptions;
  private readonly _credentialsAreStatic: boolean;
  private _staticCredentials?: RequestOptions;

  constructor(resolved: ResolvedContext) {
    const cluster = toClientNodeCluster(resolved);
    this._user = toClientNodeUser(resolved);
    this._kc = new KubeConfig();
    this._kc.loadFromOptions({
      clusters: [cluster],
      users: [this._user],
      contexts: [{ name: resolved.contextName, cluster: cluster.name, user: this._user.name, namespace: resolved.namespace }],
      currentContext: resolved.contextName,
    });
    this._kcWithoutUser = new KubeConfig();
    this._kcWithoutUser.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'token-only' }],
      contexts: [{ name: resolved.contextName, cluster: cluster.name, user: 'token-only' }],
      currentContext: resolved.contextName,
    });
    this._url = new URL(cluster.server);
    this._isHttps = this._url.protocol === 'https:';
    // keepAlive: a TLS handshake costs more than a typical API call; kubectl (Go) keeps connections too.
    // lifo reuses the warmest socket so idle ones can time out.
    const agentOptions: AgentOptions = { keepAlive: true, keepAliveMsecs: 30_000, maxSockets: 16, maxFreeSockets: 4, scheduling: 'lifo' };
    this._agent = this._isHttps ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this._extraHeaders = impersonationExtras(resolved.user);
    this._tokenFile = str(resolved.user, 'tokenFile');
    const exec = resolved.user.exec;
    if (typeof exec === 'object' && exec !== null) {
      this._execConfig = exec as Json;
      this._exec = new ExecCredentialSource(this._execConfig, execClusterInfo(resolved.cluster, cluster));
    }
    this.connectionInfo = describeConnection(resolved, cluster);
    const u = this._user;
    this._credentialsAreStatic =
      this._tokenFile === undefined && this._exec === undefined && cluster.caFile === undefined && u.certFile === undefined && u.keyFile === undefined && (u.exec === undefined || u.exec === null) && (u.authProvider === undefined || u.authProvider === null);
    this._conn = { server: cluster.server, contextName: resolved.contextName, userName: resolved.userName };
  }

  get connection(): ConnectionDescription {
    return this._conn;
  }

  /** Sends the request; resolves with any HTTP status, rejects with a TokenError for transport failures. */
  async send(req: TransportRequest): Promise<TransportResponse> {
    const response = await this._send(req);
    // As client-go does: a 401 to a plugin's credential means it is stale; run the plugin once more.
    if (response.status === 401 && req.asToken === undefined && this._exec?.invalidate() === true) {
      return this._send(req);
    }
    return response;
  }

  private async _send(req: TransportRequest): Promise<TransportResponse> {
    const describe: RequestDescription = { ...req.describe, method: req.method, path: req.path.split('?')[0], asToken: req.asToken !== undefined };
    if (req.signal?.aborted) {throw cancelledError(describe);}
    let options: RequestOptions;
    try {
      options = await this._requestOptions(req, describe);
    } catch (e) {
      if (req.signal?.aborted) {throw cancelledError(describe);}
      throw e;
    }
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body), 'utf8');
    if (body !== undefined) {
      options.headers = { ...options.headers, 'Content-Type': 'application/json', 'Content-Length': String(body.length) };
    }
    try {
      return await this._once(options, body, req, describe);
    } catch (e) {
      // A kept-alive socket the server closed while idle fails on first use; that request never
      // reached the server, so one retry on a fresh socket is safe (also for POST).
      if ((e as { reusedSocket?: boolean }).reusedSocket === true && !req.signal?.aborted) {
        return this._once(options, body, req, describe).catch((e2: unknown) => {
          throw errorFromNetwork(e2, describe, this._conn);
        });
      }
      throw errorFromNetwork(e, describe, this._conn);
    }
  }

  /** Sends and maps non-2xx to a TokenError; parses the JSON body. */
  async json<T = Json>(req: TransportRequest, ok: (status: number) => boolean = (s) => s >= 200 && s < 300): Promise<{ body: T; response: TransportResponse }> {
    const response = await this.send(req);
    if (!ok(response.status)) {
      throw this.fail(response, req);
    }
    try {
      return { body: JSON.parse(response.text) as T, response };
    } catch {
      throw this.fail({ ...response, status: 502, headers: {}, text: `the response is not JSON: ${response.text.slice(0, 120)}` }, req);
    }
  }

  /** The TokenError for a failed response. */
  fail(response: TransportResponse, req: TransportRequest): TokenError {
    const describe: RequestDescription = { ...req.describe, method: req.method, path: req.path.split('?')[0], asToken: req.asToken !== undefined };
    return errorFromResponse(response.status, response.headers, response.text, describe, this._conn);
  }

  dispose(): void {
    this._agent.destroy();
  }

  private async _requestOptions(req: TransportRequest, describe: RequestDescription): Promise<RequestOptions> {
    const base: RequestOptions = {
      method: req.method,
      protocol: this._url.protocol,
      hostname: this._url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this._url.port === '' ? (this._isHttps ? 443 : 80) : Number(this._url.port),
      path: this._url.pathname.replace(/\/$/, '') + req.path,
      agent: this._agent,
    };
    const common = { Accept: req.accept ?? 'application/json', 'User-Agent': userAgent };
    void describe;
    if (req.asToken !== undefined) {
      // The same cluster through the same pipeline (CA, TLS, tls-server-name, proxy-url, scheme), with
      // none of the kubeconfig user's credentials: a client certificate would be authenticated instead
      // of the token, and the user's headers are not the token's.
      const opts = await this._tokenOnlyOptions();
      return { ...this._connection(base, opts), headers: { ...common, Authorization: `Bearer ${req.asToken}` } };
    }
    const opts = await this._credentialOptions(req);
    const headers = { ...common, ...this._extraHeaders, ...(opts.headers as Record<string, string> | undefined) };
    const out = this._connection(base, opts);
    for (const key of ['cert', 'key', 'pfx', 'passphrase', 'auth'] as const) {
      if (opts[key] !== undefined && opts[key] !== null) {(out as Record<string, unknown>)[key] = opts[key];}
    }
    return { ...out, headers };
  }

  /** The connection part of client-node's options: TLS verification and the proxy agent. */
  private _connection(base: RequestOptions, opts: RequestOptions): RequestOptions {
    const out: RequestOptions = { ...base };
    for (const key of ['ca', 'rejectUnauthorized', 'servername'] as const) {
      if (opts[key] !== undefined && opts[key] !== null) {(out as Record<string, unknown>)[key] = opts[key];}
    }
    // With a proxy-url, client-node built a proxy agent; use it (no keep-alive tuning there).
    if (this.connectionInfo.proxyUrl !== undefined && opts.agent !== undefined) {out.agent = opts.agent;}
    return out;
  }

  /** client-node's options for the cluster alone (a user without credentials), computed once. */
  private async _tokenOnlyOptions(): Promise<RequestOptions> {
    if (this._tokenOnly === undefined) {
      const opts: RequestOptions = {};
      try {
        await this._kcWithoutUser.applyToHTTPSOptions(opts);
      } catch (e) {
        throw credentialError(e, this._conn, {});
      }
      this._tokenOnly = opts;
    }
    return this._tokenOnly;
  }

  /**
   * client-node's view of the user's credentials. Re-evaluated per request when anything can change
   * (files, exec plugins, auth providers all refresh inside client-node); computed once when the
   * kubeconfig holds everything inline (~50 µs saved per request).
   */
  private async _credentialOptions(req: TransportRequest): Promise<RequestOptions> {
    if (this._staticCredentials !== undefined) {return this._staticCredentials;}
    const opts: RequestOptions = {};
    try {
      await this._kc.applyToHTTPSOptions(opts);
    } catch (e) {
      throw credentialError(e, this._conn, this._user);
    }
    if (this._exec !== undefined) {
      let credential: ExecCredential;
      try {
        credential = await this._exec.get(req.timeoutMs, req.signal);
      } catch (e) {
        if (req.signal?.aborted) {throw e;}
        throw credentialError(e, this._conn, { exec: this._execConfig });
      }
      if ('token' in credential) {
        opts.headers = { ...(opts.headers as Record<string, string> | undefined), Authorization: `Bearer ${credential.token}` };
      } else {
        opts.cert = credential.clientCertificateData;
        opts.key = credential.clientKeyData;
      }
    }
    if (this._tokenFile !== undefined) {
      opts.headers = { ...(opts.headers as Record<string, string> | undefined), Authorization: `Bearer ${this._readTokenFile(this._tokenFile)}` };
    }
    if (this._credentialsAreStatic) {this._staticCredentials = opts;}
    return opts;
  }

  /**
   * kubectl's tokenFile: read on every request, so a rotated token (a projected service-account token,
   * a CI secret) is used at once; surrounding white space (an editor's trailing newline) is not the token.
   */
  private _readTokenFile(file: string): string {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw credentialError(new Error(`cannot read tokenFile ${file}: ${(e as Error).message}`), this._conn, this._user);
    }
  }

  private _once(options: RequestOptions, body: Buffer | undefined, req: TransportRequest, describe: RequestDescription): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) {return;}
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const request = (this._isHttps ? httpsRequest : httpRequest)(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          finish(() =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, text: Buffer.concat(chunks).toString('utf8') }),
          ),
        );
        res.on('error', (e) => finish(() => reject(e)));
        res.on('aborted', () => finish(() => reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))));
      });
      const onAbort = (): void => {
        const err = cancelledError(describe);
        finish(() => reject(err));
        request.destroy(err);
      };
      const timer = setTimeout(() => {
        const err = timeoutError(describe, this._conn, req.timeoutMs);
        finish(() => reject(err));
        request.destroy(err);
      }, req.timeoutMs);
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (e) => {
        const reused = request.reusedSocket;
        finish(() => reject(reused && isResetLike(e) ? Object.assign(e, { reusedSocket: true }) : e));
      });
      request.end(body);
    });
  }
}

const userAgent = 'kube-sa-tokens (vscode extension)';

function isResetLike(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || (e as Error)?.message === 'socket hang up';
}

function str(obj: Json, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function toClientNodeCluster(resolved: ResolvedContext): Cluster {
  const c = resolved.cluster;
  return {
    name: resolved.clusterName,
    server: String(c.server).replace(/\/$/, ''),
    caData: str(c, 'certificate-authority-data'),
    caFile: str(c, 'certificate-authority'),
    skipTLSVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c, 'tls-server-name'),
    proxyUrl: str(c, 'proxy-url'),
  };
}

function toClientNodeUser(resolved: ResolvedContext): User {
  const u = resolved.user;
  // With tokenFile, the file's token is sent (see KubeTransport._credentialOptions), as kubectl does.
  const token = str(u, 'tokenFile') === undefined ? str(u, 'token') : undefined;
  const authProvider = u['auth-provider'] as User['authProvider'];
  return {
    name: resolved.userName,
    certData: str(u, 'client-certificate-data'),
    certFile: str(u, 'client-certificate'),
    keyData: str(u, 'client-key-data'),
    keyFile: str(u, 'client-key'),
    authProvider,
    token,
    username: str(u, 'username'),
    password: str(u, 'password'),
    impersonateUser: str(u, 'as'),
  };
}

/** spec.cluster of KUBERNETES_EXEC_INFO, as client-go fills it (the CA as data, read from its file if need be). */
function execClusterInfo(raw: Json, cluster: Cluster): ExecClusterInfo {
  let caData = cluster.caData;
  if (caData === undefined && cluster.caFile !== undefined) {
    try {
      caData = readFileSync(cluster.caFile).toString('base64');
    } catch {
      // checked at load: an unreadable CA file never gets here
    }
  }
  return {
    server: cluster.server,
    ...(cluster.tlsServerName !== undefined ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(caData !== undefined ? { 'certificate-authority-data': caData } : {}),
    ...(cluster.proxyUrl !== undefined ? { 'proxy-url': cluster.proxyUrl } : {}),
    ...(raw['disable-compression'] === true ? { 'disable-compression': true } : {}),
  };
}

/** `as-groups` / `as-uid` / `as-user-extra`, which client-node does not send (it sends only Impersonate-User). */
function impersonationExtras(user: Json): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const groups = user['as-groups'];
  if (Array.isArray(groups) && groups.length > 0) {out['Impersonate-Group'] = groups.map(String);}
  const uid = str(user, 'as-uid');
  if (uid !== undefined) {out['Impersonate-Uid'] = uid;}
  const extra = user['as-user-extra'];
  if (typeof extra === 'object' && extra !== null) {
    for (const [k, v] of Object.entries(extra as Record<string, unknown>)) {
      out[`Impersonate-Extra-${encodeURIComponent(k)}`] = Array.isArray(v) ? v.map(String) : String(v);
    }
  }
  return out;
}

function describeConnection(resolved: ResolvedContext, cluster: Cluster): ConnectionInfo {
  const u = resolved.user;
  const authKind: ConnectionInfo['authKind'] =
    u.exec !== undefined && u.exec !== null ? 'exec'
    : u['auth-provider'] !== undefined && u['auth-provider'] !== null ? 'authProvider'
    : str(u, 'tokenFile') !== undefined ? 'tokenFile'
    : str(u, 'token') !== undefined ? 'token'
    : str(u, 'client-certificate') !== undefined || str(u, 'client-certificate-data') !== undefined ? 'clientCertificate'
    : str(u, 'username') !== undefined ? 'basic'
    : 'none';
  return {
    contextName: resolved.contextName,
    clusterName: resolved.clusterName,
    userName: resolved.userName,
    server: cluster.server,
    namespace: resolved.namespace,
    tlsVerificationDisabled: cluster.skipTLSVerify,
    caPresent: cluster.caData !== undefined || cluster.caFile !== undefined,
    authKind,
    ...(cluster.tlsServerName === undefined ? {} : { tlsServerName: cluster.tlsServerName }),
    ...(cluster.proxyUrl === undefined ? {} : { proxyUrl: cluster.proxyUrl }),
  };
}
