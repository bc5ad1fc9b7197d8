/** The kube layer against the sandbox API server: paging, permissions, errors, TokenRequest, reviews. */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { ClusterClient, ServiceAccountSummary } from '../../../src/kube/clusterClient';
import { verifyToken } from '../../../src/core/token/tokenVerification';
import { createClusterClient, loadKubeconfig } from '../../../src/kube/index';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox';
import { clusterKinds, startCluster, type TestCluster } from '../clusters';
import { call } from '../helpers';

async function rejectsWith(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<{ code: string; message: string; hint?: string; status?: { reason?: string; code?: number; details?: { causes?: { field?: string }[] } } }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: string; message: string };
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    if (typeof message === 'string') {assert.equal(err.message, message);}
    else if (message !== undefined) {assert.match(err.message, message);}
    return err;
  }
  assert.fail(`expected a rejection with ${code}`);
}

/** Starts a sandbox; the suite is skipped while the sandbox is still a stub. */
async function start(ctx: Mocha.Context, options: SandboxOptions): Promise<Sandbox> {
  try {
    return await startSandbox(options);
  } catch (e) {
    if (String((e as Error).message).includes('not implemented')) {ctx.skip();}
    throw e;
  }
}

for (const kind of clusterKinds) {
  suite(`kube/ClusterClient against ${kind} (demo fixture)`, function () {
    let sandbox: TestCluster;
    const clients: ClusterClient[] = [];
    const client = (context?: string, timeoutMs?: number): ClusterClient => {
      const c = createClusterClient(loadKubeconfig({ paths: sandbox.kubeconfigPath }), { context: context ?? sandbox.contexts.admin, ...(timeoutMs ? { timeoutMs } : {}) });
      clients.push(c);
      return c;
    };

    suiteSetup(async function () {
      sandbox = await startCluster(kind, { maxTokenExpirationSeconds: 7200 });
    });
    suiteTeardown(async () => {
      for (const c of clients) {c.dispose();}
      await sandbox?.close();
    });

    test('kubeconfig: contexts and current-context as the sandbox wrote them', () => {
      const k = loadKubeconfig({ paths: sandbox.kubeconfigPath });
      assert.equal(k.currentContext, sandbox.contexts.admin);
      for (const name of Object.values(sandbox.contexts)) {assert.ok(k.contexts.some((c) => c.name === name), name);}
      assert.equal(client().connectionInfo.authKind, 'clientCertificate');
      assert.equal(client(sandbox.contexts.insecure).connectionInfo.tlsVerificationDisabled, true);
      assert.equal(client(sandbox.contexts.admin).connectionInfo.tlsVerificationDisabled, false);
      assert.equal(client(sandbox.contexts.limited).connectionInfo.namespace, 'build');
    });

    test('namespaces: first page, paging with limit 3 yields the same set', async () => {
      const c = client();
      const all = await c.listNamespaces();
      const names = all.items.map((n) => n.name);
      for (const n of ['default', 'build', 'payments', 'web', 'decommissioned']) {assert.ok(names.includes(n), n);}
      assert.equal(all.items.find((n) => n.name === 'decommissioned')?.phase, 'Terminating');
      const paged: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.listNamespaces({ limit: 3, ...(token ? { continueToken: token } : {}) });
        assert.ok(page.items.length <= 3);
        paged.push(...page.items.map((n) => n.name));
        token = page.continueToken;
      } while (token !== undefined);
      assert.deepEqual(paged, names);
      // What was sent, where the server records it (the sandbox); the page sizes above show it on both.
      if (sandbox.requests) {
        const q = sandbox.requests.filter((r) => r.path === '/api/v1/namespaces').at(-1)!;
        assert.equal(q.query.limit, '3');
      }
    });

    test('service accounts: all namespaces == the union of per-namespace lists; summaries carry the SA fields', async () => {
      const c = client();
      const all: ServiceAccountSummary[] = [];
      for await (const page of c.walkServiceAccounts({ limit: 4 })) {all.push(...page);}
      const build = (await c.listServiceAccounts({ namespace: 'build' })).items;
      assert.deepEqual(all.filter((s) => s.namespace === 'build').map((s) => s.name), build.map((s) => s.name));
      const ciBot = build.find((s) => s.name === 'ci-bot')!;
      assert.equal(ciBot.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::111122223333:role/ci-bot');
      assert.equal(ciBot.automountServiceAccountToken, false);
      assert.deepEqual(ciBot.secrets, ['ci-bot-token']);
      assert.deepEqual(ciBot.imagePullSecrets, ['registry-creds']);
      assert.match(ciBot.uid, /\S/);
      const got = await c.getServiceAccount('build', 'ci-bot');
      assert.equal(got.uid, ciBot.uid);
      const yaml = await c.getServiceAccountObject('build', 'ci-bot');
      assert.equal(yaml.kind, 'ServiceAccount');
      assert.equal((yaml.metadata as { managedFields?: unknown }).managedFields, undefined);
      const selected = await c.listServiceAccounts({ namespace: 'build', labelSelector: 'app.kubernetes.io/name=ci' });
      assert.deepEqual(selected.items.map((s) => s.name), ['ci-bot']);
    });

    test('pods, secrets (legacy token labels), nodes, bound-object checks', async () => {
      const c = client();
      const pods = (await c.listPods('build')).items;
      const runner = pods.find((p) => p.name === 'runner-7')!;
      assert.equal(runner.serviceAccountName, 'ci-bot');
      assert.equal(runner.nodeName, 'worker-1');
      assert.equal(runner.phase, 'Running');
      const secrets = (await c.listSecrets('build')).items;
      const legacy = secrets.find((s) => s.name === 'ci-bot-token')!;
      assert.equal(legacy.type, 'kubernetes.io/service-account-token');
      assert.equal(legacy.serviceAccountName, 'ci-bot');
      assert.equal(legacy.legacyTokenLastUsed, '2026-01-10');
      const invalid = (await c.listSecrets('payments')).items.find((s) => s.name === 'ledger-token-old')!;
      assert.equal(invalid.legacyTokenInvalidSince, '2025-09-01');
      const nodes = (await c.listNodes()).items.map((n) => n.name);
      assert.deepEqual(nodes.filter((n) => n.startsWith('worker')), ['worker-1', 'worker-2']);
      assert.deepEqual(await c.checkBoundObject({ kind: 'Pod', namespace: 'build', name: 'runner-7', uid: runner.uid }), { exists: true, uid: runner.uid, uidMatches: true });
      assert.equal((await c.checkBoundObject({ kind: 'Pod', namespace: 'build', name: 'runner-7', uid: 'other' })).uidMatches, false);
      assert.deepEqual(await c.checkBoundObject({ kind: 'Node', name: 'gpu-node-gone' }), { exists: false });
      assert.equal((await c.getSecret('build', 'vault-config')).type, 'Opaque');
      assert.equal((await c.getNode('worker-1')).name, 'worker-1');
    });

    test('limited user: cluster-scope lists are forbidden with the server text; its namespace works', async () => {
      const c = client(sandbox.contexts.limited);
      const ns = await rejectsWith(c.listNamespaces(), 'ERR_FORBIDDEN', /^namespaces is forbidden: User "jane" cannot list resource "namespaces" in API group "" at the cluster scope/);
      assert.equal(ns.status?.reason, 'Forbidden');
      const sas = await rejectsWith(c.listServiceAccounts(), 'ERR_FORBIDDEN', /cannot list resource "serviceaccounts" in API group "" at the cluster scope$/);
      assert.match(sas.hint ?? '', /list on serviceaccounts at the cluster scope\. List per namespace instead\.$/);
      assert.ok((await c.listServiceAccounts({ namespace: 'build' })).items.length >= 3);
      const tok = await rejectsWith(c.createToken({ namespace: 'web', serviceAccount: 'frontend', audiences: [] }), 'ERR_FORBIDDEN',
        /^serviceaccounts "frontend" is forbidden: User "jane" cannot create resource "serviceaccounts\/token" in API group "" in the namespace "web"/);
      assert.equal(tok.hint, 'User "jane" needs permission: create on serviceaccounts/token in namespace "web". The edit and admin roles grant it; view does not.');
      const jwks = await rejectsWith(c.getJwks(), 'ERR_FORBIDDEN', /cannot get path "\/openid\/v1\/jwks"/);
      assert.match(jwks.hint ?? '', /system:service-account-issuer-discovery/);
    });

    test('createToken: query parameters reach the server, body as kubectl sends it, cap warning, 201', async () => {
      const c = client();
      const r = await c.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: ['https://vault.example'], expirationSeconds: 10_000, dryRun: true, fieldManager: 'sa-tokens', fieldValidation: 'Strict', pretty: true });
      assert.equal(r.httpStatus, 201);
      assert.deepEqual(r.warnings, ['requested expiration of 10000 seconds shortened to 7200 seconds']);
      assert.equal(r.tokenRequest.spec.expirationSeconds, 7200);
      assert.ok(r.serverDate !== undefined && Math.abs(Date.parse(r.serverDate) - Date.now()) < 120_000);
      assert.equal(r.token.split('.').length, 3);
      if (sandbox.requests) {
        const rec = sandbox.requests.filter((q) => q.path === '/api/v1/namespaces/build/serviceaccounts/ci-bot/token').at(-1)!;
        assert.deepEqual(rec.query, { dryRun: 'All', fieldManager: 'sa-tokens', fieldValidation: 'Strict', pretty: 'true' });
        assert.deepEqual(rec.body, {
          kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {},
          spec: { audiences: ['https://vault.example'], expirationSeconds: 10_000, boundObjectRef: null }, status: { token: '', expirationTimestamp: null },
        });
      }
    });

    test('createToken errors: 404 SA, 422 duration, 400 pod under another SA, 409 uid mismatch', async () => {
      const c = client();
      await rejectsWith(c.createToken({ namespace: 'build', serviceAccount: 'nope', audiences: [] }), 'ERR_NOT_FOUND', 'serviceaccounts "nope" not found');
      const inv = await rejectsWith(c.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 60 }), 'ERR_INVALID',
        'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
      assert.equal(inv.status?.details?.causes?.[0]?.field, 'spec.expirationSeconds');
      await rejectsWith(c.createToken({ namespace: 'build', serviceAccount: 'deployer', audiences: [], boundObject: { kind: 'Pod', name: 'runner-7' } }), 'ERR_BAD_REQUEST',
        'cannot bind token for serviceaccount "deployer" to pod running with different serviceaccount name.');
      await rejectsWith(c.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [], boundObject: { kind: 'Pod', name: 'runner-7', uid: '00000000-0000-0000-0000-000000000000' } }), 'ERR_CONFLICT',
        /^Operation cannot be fulfilled on Pod "runner-7": the UID in the bound object reference \(00000000-0000-0000-0000-000000000000\) does not match the UID in record/);
    });

    test('reviews: TokenReview, SelfSubjectReview and rules as the token; OIDC discovery with admin credentials', async () => {
      const c = client();
      const { token } = await c.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [] });
      const review = await c.tokenReview(token);
      assert.equal(review.authenticated, true);
      assert.equal(review.user?.username, 'system:serviceaccount:build:ci-bot');
      const bad = await c.tokenReview(token, ['https://not-this-audience.example']);
      assert.equal(bad.authenticated, false);
      assert.match(bad.error ?? '', /audience/);
      const me = await c.selfSubjectReview({ asToken: token });
      assert.equal(me.username, 'system:serviceaccount:build:ci-bot');
      assert.ok(me.groups?.includes('system:serviceaccounts:build'));
      const admin = await c.selfSubjectReview();
      assert.notEqual(admin.username, me.username);
      const rules = await c.selfSubjectRulesReview('build', { asToken: token });
      assert.equal(typeof rules.incomplete, 'boolean');
      assert.ok(rules.resourceRules.some((r) => r.resources?.includes('selfsubjectreviews')));
      const oidc = await c.getOpenIdConfiguration();
      assert.match(oidc.jwks_uri, /\/openid\/v1\/jwks$/);
      const jwks = await c.getJwks();
      assert.ok(jwks.keys.length >= 1);
      const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid: string };
      assert.ok(jwks.keys.some((k) => k.kid === header.kid));
      // Cached: a second call sends nothing (the same promise comes back).
      assert.equal(c.getJwks(), c.getJwks());
      if (sandbox.requests) {
        const before = sandbox.requests.length;
        await c.getJwks();
        assert.equal(sandbox.requests.length, before);
      }
      await rejectsWith(c.selfSubjectReview({ asToken: 'not-a-real-token' }), 'ERR_UNAUTHORIZED', 'The API server rejected the token (401 Unauthorized) for POST /apis/authentication.k8s.io/v1/selfsubjectreviews.');
    });

    test('verifyToken: a legacy Secret token is verified against the cluster\'s keys, naming its issuer', async () => {
    const c = client();
    const secret = await call(sandbox, '/api/v1/namespaces/build/secrets/deployer-token-legacy');
    const raw = Buffer.from(secret.json.data.token, 'base64').toString();
    const { issuer } = await c.getOpenIdConfiguration();
    const result = await verifyToken(raw, await c.getJwks(), { issuer, now: Date.now() });
    assert.equal(result.state, 'verified');
    assert.equal((result as { issuer?: string }).issuer, 'kubernetes/serviceaccount');
    // Using an auto-generated one: the authenticator's deprecation warning reaches the caller.
    const auto = Buffer.from((await call(sandbox, '/api/v1/namespaces/build/secrets/ci-bot-token')).json.data.token, 'base64').toString();
    assert.deepEqual((await c.selfSubjectReview({ asToken: auto })).warnings, ['Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.']);
    assert.equal((await c.selfSubjectReview({ asToken: raw })).warnings, undefined);
    // A bound token of the current issuer carries no issuer note.
    const { token } = await c.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [] });
    assert.deepEqual(Object.keys(await verifyToken(token, await c.getJwks(), { issuer, now: Date.now() })).sort(), ['alg', 'kid', 'state']);
  });

  test('failure contexts: unreachable, expired credentials (401), exec plugin works, insecure works', async () => {
      await rejectsWith(client(sandbox.contexts.unreachable).listNamespaces(), 'ERR_UNREACHABLE', /^Cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)\.$/);
      const expired = await rejectsWith(client(sandbox.contexts.expired).listNamespaces(), 'ERR_UNAUTHORIZED', /rejected the credentials of user "expired" in context "sandbox-expired" \(401 Unauthorized\)\.$/);
      assert.equal(expired.status?.code, 401);
      const exec = client(sandbox.contexts.exec);
      assert.equal(exec.connectionInfo.authKind, 'exec');
      assert.ok((await exec.listServiceAccounts({ namespace: 'build' })).items.length >= 3);
      assert.ok((await client(sandbox.contexts.insecure).listNamespaces({ limit: 1 })).items.length === 1);
    });

    test('cancellation: an aborted list rejects ERR_CANCELLED', async () => {
      const ac = new AbortController();
      ac.abort();
      await rejectsWith(client().listNamespaces({ signal: ac.signal }), 'ERR_CANCELLED', 'GET /api/v1/namespaces was cancelled.');
    });
  });
}

suite('kube/ClusterClient against a slow sandbox', function () {
  let sandbox: Sandbox;
  suiteSetup(async function () {
    sandbox = await start(this, { fixture: 'demo', latencyMs: 400 });
  });
  suiteTeardown(async () => {
    await sandbox?.close();
  });

  test('timeout → ERR_TIMEOUT; cancellation mid-flight → ERR_CANCELLED; a long enough timeout succeeds', async () => {
    const c = createClusterClient(loadKubeconfig({ paths: sandbox.kubeconfigPath }), { timeoutMs: 150 });
    try {
      await rejectsWith(c.listNamespaces(), 'ERR_TIMEOUT', /^The API server at https:\/\/127\.0\.0\.1:\d+ did not answer GET \/api\/v1\/namespaces within 150 ms\.$/);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      await rejectsWith(c.listNamespaces({ signal: ac.signal, timeoutMs: 5000 }), 'ERR_CANCELLED');
      assert.ok((await c.listNamespaces({ timeoutMs: 5000 })).items.length > 0);
    } finally {
      c.dispose();
    }
  });
});

suite('kube/ClusterClient against the sandbox: expired continue tokens', function () {
  let sandbox: Sandbox;
  suiteSetup(async function () {
    sandbox = await start(this, { fixture: 'demo', continueTtlSeconds: 1 });
  });
  suiteTeardown(async () => {
    await sandbox?.close();
  });

  test('410 on an old continue → ERR_EXPIRED; walkServiceAccounts restarts from the first page', async () => {
    const c = createClusterClient(loadKubeconfig({ paths: sandbox.kubeconfigPath }));
    try {
      const first = await c.listServiceAccounts({ limit: 2 });
      assert.ok(first.continueToken !== undefined);
      await new Promise((r) => setTimeout(r, 1500));
      await rejectsWith(c.listServiceAccounts({ limit: 2, continueToken: first.continueToken }), 'ERR_EXPIRED', /^The provided continue parameter is too old/);
      let restarts = 0;
      let pages = 0;
      const names: string[] = [];
      for await (const page of c.walkServiceAccounts({ limit: 5, onRestart: () => { restarts++; names.length = 0; } })) {
        names.push(...page.map((s) => `${s.namespace}/${s.name}`));
        if (++pages === 1) {await new Promise((r) => setTimeout(r, 1500));} // let the next continue expire once
      }
      assert.equal(restarts, 1);
      assert.equal(new Set(names).size, names.length);
      assert.ok(names.includes('build/ci-bot'));
    } finally {
      c.dispose();
    }
  });
});
