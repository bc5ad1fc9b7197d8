// Fault injection, latency, control endpoints, resource create/delete semantics, discovery.
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { clusterKinds, eventually, startCluster, type TestCluster } from './clusters';
import { call, decodeJwt, statusBody } from './helpers';

suite('sandbox fault injection', () => {
  let sb: Sandbox;
  suiteSetup(async () => {
    sb = await startSandbox({ faults: { errorRate: 1 } });
  });
  suiteTeardown(async () => sb?.close());

  test('errorRate 1: every API call is a 500 InternalError; control endpoints are exempt', async () => {
    const r = await call(sb, '/api/v1/namespaces');
    assert.equal(r.status, 500);
    assert.equal(r.text, statusBody(500, 'InternalError', 'Internal error occurred: sandbox: injected fault', { causes: [{ message: 'sandbox: injected fault' }] }) + '\n');
    const f = await call(sb, '/sandbox/v1/faults', { body: { errorRate: 0, throttleRate: 1, retryAfterSeconds: 3 } });
    assert.equal(f.status, 200);
  });

  test('throttleRate 1: 429 TooManyRequests with Retry-After', async () => {
    const r = await call(sb, '/api/v1/namespaces');
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '3');
    assert.equal(r.text, statusBody(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 3 }) + '\n');
  });

  test('resetRate 1: the connection is reset', async () => {
    await call(sb, '/sandbox/v1/faults', { body: { reset: true } });
    await call(sb, '/sandbox/v1/faults', { body: { resetRate: 1 } });
    await assert.rejects(call(sb, '/api/v1/namespaces'), (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET' || /socket hang up/.test(e.message));
  });

  test('stallRate 1 and latency delay the response', async () => {
    await call(sb, '/sandbox/v1/faults', { body: { reset: true } });
    await call(sb, '/sandbox/v1/faults', { body: { stallRate: 1, stallMs: 400, latencyMs: 100 } });
    const t0 = Date.now();
    const r = await call(sb, '/api/v1/namespaces');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 >= 480, `took ${Date.now() - t0} ms`);
    await call(sb, '/sandbox/v1/faults', { body: { reset: true, latencyMs: 0 } });
    const t1 = Date.now();
    await call(sb, '/api/v1/namespaces');
    assert.ok(Date.now() - t1 < 400);
  });

  test('errorRate 0.5 yields a mix of 200 and 500', async () => {
    await call(sb, '/sandbox/v1/faults', { body: { errorRate: 0.5 } });
    const codes = new Set<number>();
    for (let i = 0; i < 40; i++) {codes.add((await call(sb, '/version')).status);}
    assert.deepEqual([...codes].sort(), [200, 500]);
    await call(sb, '/sandbox/v1/faults', { body: { reset: true } });
  });
});

for (const kind of clusterKinds) {
  suite(`${kind}: resources and discovery`, () => {
    let sb: TestCluster;
    suiteSetup(async () => {
      sb = await startCluster(kind);
    });
    suiteTeardown(async () => sb?.close());

    test('/version names the release; discovery lists serviceaccounts/token', async () => {
      const v = await call(sb, '/version');
      assert.match(v.json.gitVersion, /^v1\.\d+\.\d+$/);
      assert.equal(v.json.minor, v.json.gitVersion.split('.')[1]);
      const core = await call(sb, '/api/v1');
      assert.deepEqual(
        core.json.resources.find((r: any) => r.name === 'serviceaccounts/token'),
        { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
      );
      const apis = await call(sb, '/apis');
      const groups = apis.json.groups.map((g: any) => g.name);
      for (const group of ['authentication.k8s.io', 'authorization.k8s.io']) {assert.ok(groups.includes(group), group);}
      const authn = await call(sb, '/apis/authentication.k8s.io/v1');
      assert.deepEqual(authn.json.resources.map((r: any) => r.name), ['selfsubjectreviews', 'tokenreviews']);
      const api = await call(sb, '/api');
      assert.deepEqual(api.json.versions, ['v1']);
      const nf = await call(sb, '/apis/nope.example/v1');
      assert.equal(nf.status, 404);
      assert.equal(nf.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(nf.text, '404 page not found\n');
    });

    test('create SA: 201, AlreadyExists 409, invalid name 422; delete 200 then 404', async () => {
      const c = await call(sb, '/api/v1/namespaces/web/serviceaccounts', { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'new-sa' } } });
      assert.equal(c.status, 201);
      assert.equal(c.json.kind, 'ServiceAccount');
      assert.ok(c.json.metadata.uid);
      const dup = await call(sb, '/api/v1/namespaces/web/serviceaccounts', { body: { metadata: { name: 'new-sa' } } });
      assert.equal(dup.text, statusBody(409, 'AlreadyExists', 'serviceaccounts "new-sa" already exists', { name: 'new-sa', kind: 'serviceaccounts' }) + '\n');
      const bad = await call(sb, '/api/v1/namespaces/web/serviceaccounts', { body: { metadata: { name: 'Bad_Name' } } });
      assert.equal(bad.status, 422);
      assert.match(bad.json.message, /^ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
      const d = await call(sb, '/api/v1/namespaces/web/serviceaccounts/new-sa', { method: 'DELETE' });
      assert.equal(d.status, 200);
      assert.equal((await call(sb, '/api/v1/namespaces/web/serviceaccounts/new-sa', { method: 'DELETE' })).status, 404);
      const wrongNs = await call(sb, '/api/v1/namespaces/web/serviceaccounts', { body: { metadata: { name: 'x', namespace: 'build' } } });
      assert.equal(wrongNs.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
    });

    test('pods need an existing service account (admission 403)', async () => {
      const r = await call(sb, '/api/v1/namespaces/web/pods', { body: { metadata: { name: 'p' }, spec: { serviceAccountName: 'ghost', containers: [{ name: 'c', image: 'i' }] } } });
      assert.equal(r.status, 403);
      assert.equal(r.json.message, 'pods "p" is forbidden: error looking up service account web/ghost: serviceaccount "ghost" not found');
    });

    test('namespace create gets a default SA (the ServiceAccounts controller); delete → Terminating (403 on create)', async () => {
      const c = await call(sb, '/api/v1/namespaces', { body: { metadata: { name: 'short-lived' } } });
      assert.equal(c.status, 201);
      assert.equal(c.json.status.phase, 'Active');
      await eventually('the default service account', async () => ((await call(sb, '/api/v1/namespaces/short-lived/serviceaccounts/default')).status === 200 ? true : undefined));
      const d = await call(sb, '/api/v1/namespaces/short-lived', { method: 'DELETE' });
      assert.equal(d.status, 200);
      assert.equal(d.json.status.phase, 'Terminating');
      const blocked = await call(sb, '/api/v1/namespaces/short-lived/serviceaccounts', { body: { metadata: { name: 'late' } } });
      assert.equal(blocked.status, 403);
      assert.equal(blocked.json.details.causes[0].reason, 'NamespaceTerminating');
      const again = await call(sb, '/api/v1/namespaces/short-lived', { method: 'DELETE' });
      assert.equal(again.status, 200);
      assert.equal(again.json.status.phase, 'Terminating');
      // Only the sandbox purges the namespace (after 2 s): the real control plane runs no namespace controller.
      if (kind === 'sandbox') {
        await new Promise((r) => setTimeout(r, 2300));
        assert.equal((await call(sb, '/api/v1/namespaces/short-lived')).status, 404);
        assert.equal((await call(sb, '/api/v1/namespaces/short-lived/serviceaccounts/default')).status, 404);
      }
    });

    test('legacy service-account-token secrets get token data from the tokens controller', async () => {
      const s = await call(sb, '/api/v1/namespaces/build/secrets', {
        body: { metadata: { name: 'builder-legacy', annotations: { 'kubernetes.io/service-account.name': 'builder' } }, type: 'kubernetes.io/service-account-token' },
      });
      assert.equal(s.status, 201, s.text);
      const filled = await eventually('the legacy token', async () => {
        const r = await call(sb, '/api/v1/namespaces/build/secrets/builder-legacy');
        return r.json.data?.token ? r.json : undefined;
      });
      assert.deepEqual(Object.keys(filled.data).sort(), ['ca.crt', 'namespace', 'token']);
      assert.equal(decodeJwt(Buffer.from(filled.data.token, 'base64').toString()).payload.iss, 'kubernetes/serviceaccount');
      if (!sb.requests) {return;}
      // What the sandbox records, with the credentials redacted.
      const rec = sb.requests.find((r) => r.path === '/api/v1/namespaces/build/secrets' && r.method === 'POST');
      assert.ok(rec);
      assert.equal(rec.headers.authorization, 'Bearer <redacted>');
      assert.equal((rec.body as any).metadata.name, 'builder-legacy');
      assert.equal(rec.status, 201);
    });
  });
}
