/**
 * The kube layer against a tiny local HTTPS API server (no sandbox needed): TLS settings, keep-alive,
 * paging with a 410 restart, TokenRequest query/headers, timeouts, cancellation, credential plugins.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { ClusterClient } from '../../../src/kube/clusterClient';
import { createClusterClient, loadKubeconfig } from '../../../src/kube/index';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import { startConnectProxy, type ConnectProxy } from './connectProxy';

interface Seen { method: string; url: string; auth?: string; body: string; clientCert: boolean }

let dir: string;
let server: https.Server;
let port: number;
let connections = 0;
/** The SNI name of the newest TLS connection. */
let lastServername: string | false | null = null;
let proxy: ConnectProxy;
const seen: Seen[] = [];
const goodToken = 'good-token-123456';
const execToken = 'exec-token-654321';
const saCount = 1234;
let expireNextContinue = false;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCerts(): { ca: string; otherCa: string; cert: string; key: string } {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test-ca']);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=apiserver']);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '2', '-extfile', 'ext.cnf']);
  // A CA the server's certificate does not chain to.
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=other-ca']);
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  return { ca: read('ca.crt'), otherCa: read('other-ca.crt'), cert: read('srv.crt'), key: read('srv.key') };
}

function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'https://x');
    const clientCert = (req.socket as TLSSocket).getPeerCertificate?.()?.subject !== undefined;
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body, clientCert });
    const auth = req.headers.authorization;
    if (url.pathname === '/stall') {return;} // never answers
    if (auth !== `Bearer ${goodToken}` && auth !== `Bearer ${execToken}` && auth !== 'Bearer sa-token') {
      return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (url.pathname === '/api/v1/serviceaccounts' && req.method === 'GET') {
      if (url.searchParams.get('labelSelector') === 'stall') {return;} // never answers
      const limit = Number(url.searchParams.get('limit') ?? saCount);
      const cont = url.searchParams.get('continue');
      if (cont !== null && expireNextContinue) {
        expireNextContinue = false;
        return send(res, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
      }
      const start = cont === null ? 0 : Number(Buffer.from(cont, 'base64url').toString());
      const end = Math.min(saCount, start + limit);
      const items = [];
      for (let i = start; i < end; i++) {
        items.push({ metadata: { name: `sa-${i}`, namespace: `ns-${i % 7}`, uid: `uid-${i}`, creationTimestamp: '2026-01-01T00:00:00Z' }, secrets: [{ name: `sa-${i}-token` }], automountServiceAccountToken: i % 2 === 0 });
      }
      const metadata: Record<string, unknown> = { resourceVersion: '42' };
      if (end < saCount) {
        metadata.continue = Buffer.from(String(end)).toString('base64url');
        metadata.remainingItemCount = saCount - end;
      }
      return send(res, 200, { kind: 'ServiceAccountList', apiVersion: 'v1', metadata, items });
    }
    if (url.pathname === '/api/v1/namespaces/build/serviceaccounts/ci-bot/token' && req.method === 'POST') {
      const reqBody = JSON.parse(body) as { spec: { expirationSeconds: number | null; audiences: string[] | null } };
      const exp = reqBody.spec.expirationSeconds ?? 3600;
      const capped = Math.min(exp, 3600);
      const warnings = capped < exp ? [`299 - "requested expiration of ${exp} seconds shortened to ${capped} seconds"`, '299 - "second, warning"'] : [];
      return send(res, 201, {
        kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { name: 'ci-bot', namespace: 'build', creationTimestamp: '2026-01-01T00:00:00Z' },
        spec: { ...reqBody.spec, expirationSeconds: capped, boundObjectRef: null },
        status: { token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', expirationTimestamp: '2026-01-01T01:00:00Z' },
      }, warnings.length > 0 ? { Warning: warnings } : {});
    }
    if (url.pathname === '/apis/authentication.k8s.io/v1/selfsubjectreviews') {
      const user = auth === 'Bearer sa-token' ? 'system:serviceaccount:build:ci-bot' : 'admin';
      return send(res, 201, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: user, groups: ['system:authenticated'] } } });
    }
    if (url.pathname === '/openid/v1/jwks') {
      return send(res, 403, status(403, 'Forbidden', 'forbidden: User "admin" cannot get path "/openid/v1/jwks"'));
    }
    return send(res, 404, status(404, 'NotFound', `the server could not find the requested resource`));
  });
}

function kubeconfig(ca: string, otherCa: string, extraContexts: string): string {
  const caData = Buffer.from(ca).toString('base64');
  const otherCaData = Buffer.from(otherCa).toString('base64');
  const server = `https://127.0.0.1:${port}`;
  const fail = path.join(dir, 'fail-plugin.sh');
  fs.writeFileSync(fail, '#!/bin/sh\necho "error: you must be logged in to the server (run: cloud login)" >&2\nexit 1\n', { mode: 0o755 });
  const ok = path.join(dir, 'ok-plugin.sh');
  fs.writeFileSync(ok, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${execToken}"}}'\n`, { mode: 0o755 });
  return `apiVersion: v1
kind: Config
clusters:
- name: good
  cluster: {server: "${server}", certificate-authority-data: ${caData}}
- name: noca
  cluster: {server: "${server}"}
- name: insecure
  cluster: {server: "${server}", insecure-skip-tls-verify: true}
- name: wrongname
  cluster: {server: "${server}", certificate-authority-data: ${caData}, tls-server-name: wrong.example}
- name: rightname
  cluster: {server: "https://localhost:${port}", certificate-authority-data: ${caData}, tls-server-name: localhost}
- name: down
  cluster: {server: "https://127.0.0.1:1", certificate-authority-data: ${caData}}
- name: otherca
  cluster: {server: "${server}", certificate-authority-data: ${otherCaData}}
- name: proxied
  cluster: {server: "${server}", certificate-authority-data: ${caData}, tls-server-name: localhost, proxy-url: "${proxy.url}"}
- name: proxiedwrongname
  cluster: {server: "${server}", certificate-authority-data: ${caData}, tls-server-name: wrong.example, proxy-url: "${proxy.url}"}
users:
- name: admin
  user: {token: ${goodToken}}
- name: stale
  user: {token: stale-token-000000}
- name: failplugin
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, command: ${fail}}}
- name: okplugin
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, command: ${ok}}}
- name: missingplugin
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, command: no-such-plugin-xyz}}
contexts:
- {name: good, context: {cluster: good, user: admin, namespace: build}}
- {name: noca, context: {cluster: noca, user: admin}}
- {name: insecure, context: {cluster: insecure, user: admin}}
- {name: wrongname, context: {cluster: wrongname, user: admin}}
- {name: rightname, context: {cluster: rightname, user: admin}}
- {name: down, context: {cluster: down, user: admin}}
- {name: otherca, context: {cluster: otherca, user: admin}}
- {name: proxied, context: {cluster: proxied, user: admin}}
- {name: proxiedwrongname, context: {cluster: proxiedwrongname, user: admin}}
- {name: stale, context: {cluster: good, user: stale}}
- {name: failplugin, context: {cluster: good, user: failplugin}}
- {name: okplugin, context: {cluster: good, user: okplugin}}
- {name: missingplugin, context: {cluster: good, user: missingplugin}}
${extraContexts}current-context: good
`;
}

async function rejectsWith(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: string; message: string; hint?: string };
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    if (typeof message === 'string') {assert.equal(err.message, message);}
    else if (message !== undefined) {assert.match(err.message, message);}
    return err;
  }
  assert.fail(`expected a rejection with ${code}`);
}

suite('kube/ClusterClient against a local HTTPS server', () => {
  let kubeconfigPath: string;
  const clients: ClusterClient[] = [];
  const client = (context?: string, timeoutMs?: number): ClusterClient => {
    const c = createClusterClient(loadKubeconfig({ paths: kubeconfigPath }), { ...(context ? { context } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    clients.push(c);
    return c;
  };

  suiteSetup(async () => {
    dir = makeTempDir('kube-local');
    const certs = makeCerts();
    server = https.createServer({ cert: certs.cert, key: certs.key, requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 30_000 }, handle);
    server.on('secureConnection', (socket: TLSSocket) => {
      connections++;
      lastServername = socket.servername;
    });
    proxy = await startConnectProxy();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    kubeconfigPath = path.join(dir, 'config');
    fs.writeFileSync(kubeconfigPath, kubeconfig(certs.ca, certs.otherCa, ''));
  });

  suiteTeardown(async () => {
    for (const c of clients) {c.dispose();}
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    proxy?.server.closeAllConnections();
    proxy?.server.close();
    removeTempDir(dir);
  });

  test('connectionInfo describes the context without secrets', () => {
    const c = client();
    assert.deepEqual(c.connectionInfo, {
      contextName: 'good', clusterName: 'good', userName: 'admin', server: `https://127.0.0.1:${port}`, namespace: 'build',
      tlsVerificationDisabled: false, caPresent: true, authKind: 'token',
    });
    assert.equal(client('insecure').connectionInfo.tlsVerificationDisabled, true);
    assert.equal(client('insecure').connectionInfo.caPresent, false);
  });

  test('paging: limit=500 by default, continue tokens, remainingItemCount; one kept-alive TLS connection', async () => {
    const c = client();
    const before = connections;
    const first = await c.listServiceAccounts();
    assert.equal(first.items.length, 500);
    assert.equal(first.remainingItemCount, saCount - 500);
    assert.deepEqual(first.items[1], {
      namespace: 'ns-1', name: 'sa-1', uid: 'uid-1', creationTimestamp: '2026-01-01T00:00:00Z', annotations: {}, labels: {}, secrets: ['sa-1-token'], imagePullSecrets: [], automountServiceAccountToken: false,
    });
    assert.match(seen.at(-1)!.url, /^\/api\/v1\/serviceaccounts\?limit=500$/);
    let total = 0;
    let pages = 0;
    for await (const page of c.walkServiceAccounts({ limit: 100 })) {
      total += page.length;
      pages++;
    }
    assert.equal(total, saCount);
    assert.equal(pages, Math.ceil(saCount / 100));
    assert.equal(connections - before, 1, 'all requests should share one kept-alive connection');
  });

  test('410 Expired on a continue: listServiceAccounts rejects ERR_EXPIRED; walkServiceAccounts restarts', async () => {
    const c = client();
    const first = await c.listServiceAccounts({ limit: 1000 });
    expireNextContinue = true;
    await rejectsWith(c.listServiceAccounts({ limit: 1000, continueToken: first.continueToken! }), 'ERR_EXPIRED', /^The provided continue parameter is too old/);
    let restarts = 0;
    const names: string[] = [];
    let pageNo = 0;
    for await (const page of c.walkServiceAccounts({ limit: 500, onRestart: () => { restarts++; names.length = 0; } })) {
      names.push(...page.map((s) => s.name));
      if (++pageNo === 1) {expireNextContinue = true;}
    }
    assert.equal(restarts, 1);
    assert.equal(names.length, saCount);
    assert.equal(new Set(names).size, saCount);
  });

  test('createToken: kubectl body, query parameters, Warning headers, Date, status', async () => {
    const c = client();
    const r = await c.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: ['vault'], expirationSeconds: 7200, dryRun: true, fieldManager: 'sa tokens', fieldValidation: 'Strict', pretty: true });
    const req = seen.at(-1)!;
    assert.equal(req.url, '/api/v1/namespaces/build/serviceaccounts/ci-bot/token?dryRun=All&fieldManager=sa+tokens&fieldValidation=Strict&pretty=true');
    assert.deepEqual(JSON.parse(req.body), {
      kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {},
      spec: { audiences: ['vault'], expirationSeconds: 7200, boundObjectRef: null }, status: { token: '', expirationTimestamp: null },
    });
    assert.equal(r.httpStatus, 201);
    assert.deepEqual(r.warnings, ['requested expiration of 7200 seconds shortened to 3600 seconds', 'second, warning']);
    assert.ok(r.serverDate !== undefined && !Number.isNaN(Date.parse(r.serverDate)));
    assert.equal(r.token, r.tokenRequest.status.token);
    assert.equal(r.tokenRequest.spec.expirationSeconds, 3600);
    const plain = await c.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [] });
    assert.deepEqual(plain.warnings, []);
    assert.equal(seen.at(-1)!.url, '/api/v1/namespaces/build/serviceaccounts/ci-bot/token');
  });

  test('asToken: the given token, and no client certificate, is presented', async () => {
    const c = client();
    const me = await c.selfSubjectReview({ asToken: 'sa-token' });
    assert.equal(me.username, 'system:serviceaccount:build:ci-bot');
    assert.equal(seen.at(-1)!.auth, 'Bearer sa-token');
    assert.equal((await c.selfSubjectReview()).username, 'admin');
    assert.equal(seen.at(-1)!.auth, `Bearer ${goodToken}`);
  });

  test('asToken: TLS is verified as for the user\'s own requests (the kubeconfig\'s CA, tls-server-name, proxy-url), never skipped', async () => {
    // A fresh client per check: no connection verified by an earlier request can be reused.
    const asToken = { asToken: 'sa-token' };
    for (const context of ['noca', 'otherca']) {
      await rejectsWith(client(context).selfSubjectReview(asToken), 'ERR_TLS', /certificate|SELF_SIGNED|UNABLE_TO/);
      await rejectsWith(client(context).selfSubjectRulesReview('build', asToken), 'ERR_TLS');
    }
    await rejectsWith(client('wrongname').selfSubjectReview(asToken), 'ERR_TLS', /wrong\.example.*\(ERR_TLS_CERT_ALTNAME_INVALID\)\.$/);
    assert.equal((await client('good').selfSubjectReview(asToken)).username, 'system:serviceaccount:build:ci-bot');
    assert.equal((await client('rightname').selfSubjectReview(asToken)).username, 'system:serviceaccount:build:ci-bot');
    assert.equal(lastServername, 'localhost');

    const tunnels = proxy.tunnels();
    assert.equal((await client('proxied').selfSubjectReview(asToken)).username, 'system:serviceaccount:build:ci-bot');
    assert.equal(seen.at(-1)!.auth, 'Bearer sa-token');
    assert.ok(proxy.tunnels() > tunnels, 'the request as the token went through the proxy');
    assert.equal(lastServername, 'localhost', 'through the proxy, with the kubeconfig\'s tls-server-name');
    await rejectsWith(client('proxiedwrongname').selfSubjectReview(asToken), 'ERR_TLS', /wrong\.example/);
  });

  test('JWKS 403 → ERR_FORBIDDEN with the issuer-discovery hint; 404 → ERR_NOT_FOUND', async () => {
    const e = await rejectsWith(client().getJwks(), 'ERR_FORBIDDEN', 'forbidden: User "admin" cannot get path "/openid/v1/jwks"');
    assert.match(e.hint ?? '', /system:service-account-issuer-discovery/);
    await rejectsWith(client().getServiceAccount('build', 'nope'), 'ERR_NOT_FOUND', 'the server could not find the requested resource');
  });

  test('401 with stale credentials → ERR_UNAUTHORIZED', async () => {
    await rejectsWith(client('stale').listNamespaces(), 'ERR_UNAUTHORIZED',
      `The API server at https://127.0.0.1:${port} rejected the credentials of user "stale" in context "stale" (401 Unauthorized).`);
  });

  test('TLS: no CA → ERR_TLS; wrong tls-server-name → ERR_TLS naming the host; right tls-server-name and insecure work', async () => {
    const noca = await rejectsWith(client('noca').listServiceAccounts({ limit: 1 }), 'ERR_TLS', /^TLS connection to https:\/\/127\.0\.0\.1:\d+ failed: .*\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\.$/);
    assert.match(noca.hint ?? '', /certificate-authority/);
    await rejectsWith(client('wrongname').listServiceAccounts({ limit: 1 }), 'ERR_TLS', /wrong\.example.*\(ERR_TLS_CERT_ALTNAME_INVALID\)\.$/);
    assert.equal((await client('rightname').listServiceAccounts({ limit: 1 })).items.length, 1);
    assert.equal((await client('insecure').listServiceAccounts({ limit: 1 })).items.length, 1);
  });

  test('unreachable → ERR_UNREACHABLE', async () => {
    await rejectsWith(client('down').listNamespaces(), 'ERR_UNREACHABLE', 'Cannot reach the API server at https://127.0.0.1:1: connection refused (ECONNREFUSED).');
  });

  test('timeout → ERR_TIMEOUT (client default and per call); cancellation → ERR_CANCELLED', async () => {
    const slow = client('good', 300);
    let t0 = Date.now();
    await rejectsWith(slow.listServiceAccounts({ labelSelector: 'stall' }), 'ERR_TIMEOUT',
      `The API server at https://127.0.0.1:${port} did not answer GET /api/v1/serviceaccounts within 300 ms.`);
    assert.ok(Date.now() - t0 < 2000);
    t0 = Date.now();
    await rejectsWith(slow.listServiceAccounts({ labelSelector: 'stall', timeoutMs: 100 }), 'ERR_TIMEOUT', /within 100 ms\.$/);
    const ac = new AbortController();
    const p = client().listServiceAccounts({ labelSelector: 'stall', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await rejectsWith(p, 'ERR_CANCELLED', 'GET /api/v1/serviceaccounts was cancelled.');
    await rejectsWith(client().listNamespaces({ signal: AbortSignal.abort() }), 'ERR_CANCELLED', 'GET /api/v1/namespaces was cancelled.');
    // The client still works after timeouts and cancellations (destroyed sockets are not reused).
    assert.equal((await slow.listServiceAccounts({ limit: 2 })).items.length, 2);
  });

  test('exec plugin: its token is used; a failing plugin → ERR_EXEC_PLUGIN with its stderr; a missing one → command not found', async () => {
    assert.equal((await client('okplugin').selfSubjectReview()).username, 'admin');
    assert.equal(seen.at(-1)!.auth, `Bearer ${execToken}`);
    const e = await rejectsWith(client('failplugin').listNamespaces(), 'ERR_EXEC_PLUGIN',
      `The credential plugin "${path.join(dir, 'fail-plugin.sh')}" of user "failplugin" failed: error: you must be logged in to the server (run: cloud login)`);
    assert.match(e.hint ?? '', /Run the plugin in a terminal/);
    await rejectsWith(client('missingplugin').listNamespaces(), 'ERR_EXEC_PLUGIN', 'The credential plugin "no-such-plugin-xyz" of user "missingplugin" failed: command not found (no-such-plugin-xyz)');
  });
});
