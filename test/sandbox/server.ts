// Assembles the sandbox: certificates, keys, store, fixtures, HTTPS server, kubeconfig.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth';
import { CertAuthority } from './certs';
import { loadDemo, loadScale } from './fixtures';
import { buildClaims, signClaims } from './jwt';
import { KeySet } from './keys';
import { CONTEXTS, writeKubeconfig } from './kubeconfig';
import { resolveConfig } from './options';
import { Rbac, defaultBindings, type UserInfo } from './rbac';
import { loadRbacBootstrap, rbacObjectsAllow } from './rbacApi';
import { requestInfo } from './requestInfo';
import { sendError, wantsPretty, type ResponseContext } from './respond';
import { route } from './router';
import type { RecordedRequest, Sandbox, SandboxOptions } from './sandbox';
import type { Ctx, State } from './state';
import { ApiError, badRequest, internalError, tooManyRequests } from './status';
import { decodeK8sProtobuf, PROTOBUF } from './protobuf';
import { Store } from './store';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';

const FLOW_EXEMPT = randomUUID();
const PRIORITY_EXEMPT = randomUUID();
const FLOW_DEFAULT = randomUUID();
const PRIORITY_DEFAULT = randomUUID();

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startServer(options: SandboxOptions): Promise<Sandbox> {
  const cfg = resolveConfig(options);
  const dataDir = cfg.dataDir ?? makeTempDir('sandbox');
  mkdirSync(dataDir, { recursive: true });
  const now = () => Date.now() + cfg.clockOffsetSeconds * 1000;
  const ca = new CertAuthority();
  const serving = ca.serverCert(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'], ['127.0.0.1']);
  const admin = ca.clientCert('sandbox-admin', ['system:masters']);
  const adminToken = `sandbox-admin-${randomBytes(16).toString('hex')}`;
  const limitedToken = `jane-${randomBytes(16).toString('hex')}`;
  const execToken = `exec-${randomBytes(16).toString('hex')}`;
  const staticTokens = new Map<string, UserInfo>([
    [adminToken, { username: 'sandbox-admin', uid: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] }],
    [limitedToken, { username: 'jane', uid: 'jane', groups: ['sandbox:developers', 'system:authenticated'] }],
    [execToken, { username: 'sandbox-exec', uid: 'sandbox-exec', groups: ['sandbox:ops', 'system:authenticated'] }],
  ]);
  const requests: RecordedRequest[] = [];
  const state: State = {
    cfg,
    store: new Store(now),
    keys: new KeySet(cfg.keyType),
    rbac: new Rbac(defaultBindings(cfg.oidcPublic)),
    staticTokens,
    paging: { now, continueTtlSeconds: cfg.continueTtlSeconds, issued: new Map() },
    url: '',
    caPem: ca.certPem,
    requests,
    issuedTokens: [],
    now,
  };
  loadRbacBootstrap(state, cfg.oidcPublic);
  if (cfg.fixture === 'demo' || cfg.fixture === 'demo+scale') {loadDemo(state);}
  if (cfg.fixture === 'scale' || cfg.fixture === 'demo+scale') {loadScale(state);}

  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: serving.keyPem, cert: serving.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('request', (req, res) => {
    void handle(state, req, res);
  });
  server.on('tlsClientError', () => {
    /* clients that hang up mid-handshake (e.g. fault tests) */
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  state.url = `https://${hostForUrl}:${port}`;

  // An SA token that expired yesterday: rejected with 401 (service account token has expired).
  const expiredSa = state.store.get('serviceaccounts', 'build', 'ci-bot') ?? state.store.liveObjects('serviceaccounts')[0];
  const expiredToken = expiredSa
    ? await signClaims(state.keys, { ...buildClaims({ issuer: cfg.issuer, audiences: cfg.apiAudiences, nowSec: Math.floor(now() / 1000) - 2 * 86400, expirationSeconds: 86400, sa: expiredSa }) })
    : `expired-${randomBytes(16).toString('hex')}`;
  const unreachablePort = await freePort(cfg.host);
  const caPath = join(dataDir, 'ca.crt');
  writeFileSync(caPath, ca.certPem);
  writeFileSync(join(dataDir, 'admin.crt'), admin.certPem);
  writeFileSync(join(dataDir, 'admin.key'), admin.keyPem, { mode: 0o600 });
  const kubeconfigPath = writeKubeconfig({
    dataDir,
    url: state.url,
    unreachableUrl: `https://${hostForUrl}:${unreachablePort}`,
    caPem: ca.certPem,
    admin,
    limitedToken,
    execToken,
    expiredToken,
  });

  let closed = false;
  return {
    url: state.url,
    port,
    kubeconfigPath,
    dataDir,
    caPem: ca.certPem,
    adminToken,
    contexts: { ...CONTEXTS },
    requests,
    issuedTokens: state.issuedTokens,
    async close() {
      if (closed) {return;}
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) {s.destroy();}
        server.closeAllConnections?.();
      });
      // Only a data dir the sandbox created itself is removed.
      if (!cfg.dataDir) {removeTempDir(dataDir);}
    },
  };
}

function redactHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) {continue;}
    out[k] = k === 'authorization' ? `${String(v).split(' ')[0]} <redacted>` : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function parseQuery(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(q.keys())) {
    const all = q.getAll(k);
    out[k] = all.length === 1 ? all[0] : all;
  }
  return out;
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
  const query = url.searchParams;
  const method = (req.method ?? 'GET').toUpperCase();
  const bodyBytes = await readBody(req).catch(() => Buffer.alloc(0));
  let rawBody = bodyBytes.toString('utf8');
  let protoError: ApiError | undefined;
  if (bodyBytes.length && (req.headers['content-type'] ?? '').startsWith(PROTOBUF)) {
    try {
      rawBody = JSON.stringify(decodeK8sProtobuf(bodyBytes));
    } catch (e) {
      protoError = (e as Error).message.startsWith('sandbox:') ? new ApiError(415, 'UnsupportedMediaType', (e as Error).message, {}) : badRequest((e as Error).message);
    }
  }
  const rctx: ResponseContext = {
    auditId: randomUUID(),
    pretty: wantsPretty(req, query),
    warnings: [],
    flowSchemaUid: FLOW_DEFAULT,
    priorityLevelUid: PRIORITY_DEFAULT,
    now: state.now,
  };
  let body: unknown;
  if (rawBody) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = rawBody;
    }
  }
  const record: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = {
    time: Date.now(),
    method,
    path: url.pathname,
    query: parseQuery(query),
    headers: redactHeaders(req.headers),
    body,
  };
  state.requests.push(record);
  res.on('finish', () => {
    record.status = res.statusCode;
  });
  const info = requestInfo(method, url.pathname, query);
  const ctx: Ctx = { req, res, state, method, path: url.pathname, query, rawBody, info, user: { username: '', groups: [] }, rctx };
  try {
    const control = url.pathname.startsWith('/sandbox/');
    if (!control) {
      const f = state.cfg.faults;
      if (state.cfg.latencyMs > 0) {await sleep(state.cfg.latencyMs);}
      if (f.resetRate > 0 && Math.random() < f.resetRate) {
        req.socket.destroy();
        return;
      }
      if (f.stallRate > 0 && Math.random() < f.stallRate) {await sleep(f.stallMs);}
      if (res.destroyed) {return;}
    }
    ctx.user = authenticate(req, state, rctx.warnings);
    record.user = ctx.user.username;
    if (ctx.user.groups.includes('system:masters')) {
      rctx.flowSchemaUid = FLOW_EXEMPT;
      rctx.priorityLevelUid = PRIORITY_EXEMPT;
    }
    if (!control) {
      const f = state.cfg.faults;
      if (f.throttleRate > 0 && Math.random() < f.throttleRate) {throw tooManyRequests(f.retryAfterSeconds);}
      // The sandbox's own model for its users, then the RBAC objects (the bootstrap policy and what was created).
      if (!state.rbac.allowed(ctx.user, info) && !rbacObjectsAllow(state, ctx.user, info)) {throw state.rbac.forbiddenError(ctx.user, info);}
      if (f.errorRate > 0 && Math.random() < f.errorRate) {throw internalError('sandbox: injected fault');}
    }
    if (protoError) {throw protoError;}
    await route(ctx);
  } catch (e) {
    if (res.headersSent || res.destroyed) {return;}
    if (e instanceof ApiError) {sendError(res, rctx, e);}
    else {
      // A storage error that is not a Status: 500 with reason Unknown and the raw text.
      sendError(res, rctx, new ApiError(500, '', (e as Error)?.message ?? String(e)));
    }
  }
}
