// Listing: limit/continue paging, remainingItemCount, selectors, 400/410/422 errors; scale fixture.
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { clusterKinds, startCluster, type TestCluster } from './clusters';
import { call, statusBody, type Server } from './helpers';

async function listAll(sb: Server, path: string, limit: number): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let cont = '';
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await call(sb, `${path}${sep}limit=${limit}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    pages++;
    for (const it of r.json.items) {names.push(`${it.metadata.namespace ?? ''}/${it.metadata.name}`);}
    cont = r.json.metadata.continue ?? '';
  } while (cont);
  return { names, pages };
}

for (const kind of clusterKinds) {
  suite(`${kind}: lists and paging (demo fixture)`, () => {
    let sb: TestCluster;
    suiteSetup(async () => {
      sb = await startCluster(kind);
    });
    suiteTeardown(async () => sb?.close());

    test('ServiceAccountList shape: items without kind/apiVersion, sorted by namespace/name', async () => {
      const r = await call(sb, '/api/v1/serviceaccounts');
      assert.equal(r.status, 200);
      assert.equal(r.json.kind, 'ServiceAccountList');
      assert.equal(r.json.apiVersion, 'v1');
      assert.deepEqual(Object.keys(r.json.metadata), ['resourceVersion']);
      assert.equal(r.json.items[0].kind, undefined);
      const keys = r.json.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
      assert.deepEqual(keys, [...keys].sort());
      const ci = r.json.items.find((i: any) => i.metadata.name === 'ci-bot');
      assert.equal(ci.metadata.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::111122223333:role/ci-bot');
      assert.deepEqual(ci.secrets, [{ name: 'ci-bot-token' }]);
      assert.equal(ci.automountServiceAccountToken, false);
    });

    test('limit/continue: opaque token format, remainingItemCount, union equals the full list', async () => {
      const full = await call(sb, '/api/v1/serviceaccounts');
      const first = await call(sb, '/api/v1/serviceaccounts?limit=5');
      assert.equal(first.json.items.length, 5);
      assert.equal(first.json.metadata.remainingItemCount, full.json.items.length - 5);
      const tok = JSON.parse(Buffer.from(first.json.metadata.continue, 'base64url').toString());
      const last = first.json.items[4].metadata;
      // The etcd key of the last item, relative to the resource's key prefix.
      assert.deepEqual(tok, { v: 'meta.k8s.io/v1', rv: Number(first.json.metadata.resourceVersion), start: `/${last.namespace}/${last.name}\u0000` });
      const all = await listAll(sb, '/api/v1/serviceaccounts', 5);
      assert.equal(all.names.length, full.json.items.length);
      assert.equal(all.pages, Math.ceil(full.json.items.length / 5));
    });

    test('namespace list keys are bare names; last page has no continue', async () => {
      const r = await call(sb, '/api/v1/namespaces/build/serviceaccounts?limit=2');
      const tok = JSON.parse(Buffer.from(r.json.metadata.continue, 'base64url').toString());
      assert.equal(tok.start, `/${r.json.items[1].metadata.name}\u0000`);
      const r2 = await call(sb, `/api/v1/namespaces/build/serviceaccounts?limit=2&continue=${r.json.metadata.continue}`);
      assert.equal(r2.json.items.length, 2);
      assert.equal(r2.json.metadata.continue, undefined);
      assert.equal(r2.json.metadata.remainingItemCount, undefined);
    });

    test('paged lists are a consistent snapshot: objects created or deleted mid-list do not show', async () => {
      const p1 = await call(sb, '/api/v1/namespaces/build/serviceaccounts?limit=1');
      assert.equal((await call(sb, '/api/v1/namespaces/build/serviceaccounts', { body: { metadata: { name: 'zz-late' } } })).status, 201);
      assert.equal((await call(sb, '/api/v1/namespaces/build/serviceaccounts/deployer', { method: 'DELETE' })).status, 200);
      const rest = await call(sb, `/api/v1/namespaces/build/serviceaccounts?continue=${p1.json.metadata.continue}`);
      const names = rest.json.items.map((i: any) => i.metadata.name);
      assert.ok(names.includes('deployer'));
      assert.ok(!names.includes('zz-late'));
      const now = await call(sb, '/api/v1/namespaces/build/serviceaccounts');
      assert.ok(now.json.items.some((i: any) => i.metadata.name === 'zz-late'));
    });

    test('label and field selectors; no remainingItemCount with selectors', async () => {
      const r = await call(sb, '/api/v1/serviceaccounts?labelSelector=team%3Dpayments');
      assert.deepEqual(r.json.items.map((i: any) => i.metadata.name).sort(), ['ledger', 'payments-api']);
      const r2 = await call(sb, '/api/v1/serviceaccounts?labelSelector=azure.workload.identity%2Fuse&limit=1');
      assert.equal(r2.json.items.length, 1);
      assert.equal(r2.json.metadata.remainingItemCount, undefined);
      assert.ok(r2.json.metadata.continue);
      const r3 = await call(sb, '/api/v1/serviceaccounts?fieldSelector=metadata.namespace%3Dweb,metadata.name!%3Ddefault');
      assert.deepEqual(r3.json.items.map((i: any) => i.metadata.name), ['cdn-purger', 'frontend']);
      const r4 = await call(sb, '/api/v1/pods?fieldSelector=spec.serviceAccountName%3Dci-bot');
      assert.deepEqual(r4.json.items.map((i: any) => i.metadata.name), ['runner-7', 'runner-8']);
      const r5 = await call(sb, '/api/v1/serviceaccounts?labelSelector=team%20in%20(ml,web),team!%3Dweb');
      assert.deepEqual(r5.json.items.map((i: any) => i.metadata.name), ['notebook', 'trainer']);
      const bad = await call(sb, '/api/v1/serviceaccounts?fieldSelector=spec.foo%3Dx');
      assert.equal(bad.status, 400);
      assert.equal(bad.json.message, '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
    });

    test('400 on a malformed continue token', async () => {
      const r = await call(sb, '/api/v1/serviceaccounts?limit=2&continue=not-a-token');
      assert.equal(r.status, 400);
      assert.equal(r.json.reason, 'BadRequest');
      assert.match(r.json.message, /^invalid continue token: continue key is not valid/);
      const wrongVersion = Buffer.from(JSON.stringify({ v: 'x', rv: 5, start: 'a' })).toString('base64url');
      const r2 = await call(sb, `/api/v1/serviceaccounts?continue=${wrongVersion}`);
      assert.equal(r2.text, statusBody(400, 'BadRequest', 'invalid continue token: continue key is not valid: server does not recognize this encoded version x') + '\n');
      const noRv = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', start: 'a' })).toString('base64url');
      const r3 = await call(sb, `/api/v1/serviceaccounts?continue=${noRv}`);
      assert.equal(r3.json.message, 'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    });

    test('400 resourceVersion with continue; 422 resourceVersionMatch without resourceVersion', async () => {
      const p = await call(sb, '/api/v1/serviceaccounts?limit=2');
      const r = await call(sb, `/api/v1/serviceaccounts?limit=2&resourceVersion=5&continue=${p.json.metadata.continue}`);
      assert.equal(r.text, statusBody(400, 'BadRequest', 'specifying resource version is not allowed when using continue') + '\n');
      const r2 = await call(sb, '/api/v1/serviceaccounts?resourceVersionMatch=Exact');
      assert.equal(r2.status, 422);
      assert.equal(r2.json.message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
      assert.deepEqual(r2.json.details, {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided', field: 'resourceVersionMatch' }],
      });
    });

    test('resourceVersion=0 is served like the watch cache: limit ignored, no continue', async () => {
      const r = await call(sb, '/api/v1/serviceaccounts?limit=2&resourceVersion=0');
      assert.ok(r.json.items.length > 2);
      assert.equal(r.json.metadata.continue, undefined);
    });

    test('get single objects with kind/apiVersion; 404 body', async () => {
      const r = await call(sb, '/api/v1/namespaces/payments/serviceaccounts/ledger');
      assert.equal(r.json.kind, 'ServiceAccount');
      assert.equal(r.json.apiVersion, 'v1');
      assert.equal(r.json.metadata.annotations['azure.workload.identity/client-id'], '4a1c2b3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d');
      const g = await call(sb, '/api/v1/namespaces/payments/serviceaccounts/payments-api');
      assert.equal(g.json.metadata.annotations['iam.gke.io/gcp-service-account'], 'payments-api@acme-prod.iam.gserviceaccount.com');
      const nf = await call(sb, '/api/v1/namespaces/payments/serviceaccounts/nope');
      assert.equal(nf.text, statusBody(404, 'NotFound', 'serviceaccounts "nope" not found', { name: 'nope', kind: 'serviceaccounts' }) + '\n');
      const secrets = await call(sb, '/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Fservice-account-token');
      const ledger = secrets.json.items.find((s: any) => s.metadata.name === 'ledger-token-old');
      assert.equal(ledger.metadata.labels['kubernetes.io/legacy-token-invalid-since'], '2025-09-01');
      assert.equal(ledger.metadata.labels['kubernetes.io/legacy-token-last-used'], '2025-06-02');
    });
  });
}

// Compaction on demand and a short continue-token lifetime are sandbox knobs (etcd compacts every 5 minutes).
suite('sandbox: expired continue tokens', () => {
  let sb: Sandbox;
  suiteSetup(async () => {
    sb = await startSandbox({ continueTtlSeconds: 2 });
  });
  suiteTeardown(async () => sb?.close());

  test('410 Expired after compaction, with a continue token that resumes inconsistently', async () => {
    const p = await call(sb, '/api/v1/serviceaccounts?limit=3');
    const c = await call(sb, '/sandbox/v1/compact', { method: 'POST' });
    assert.equal(c.status, 200);
    const r = await call(sb, `/api/v1/serviceaccounts?limit=3&continue=${p.json.metadata.continue}`);
    assert.equal(r.status, 410);
    assert.equal(r.json.reason, 'Expired');
    assert.match(r.json.message, /^The provided continue parameter is too old to display a consistent list result\./);
    assert.deepEqual(Object.keys(r.json), ['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'code']);
    const resume = JSON.parse(Buffer.from(r.json.metadata.continue, 'base64url').toString());
    assert.equal(resume.rv, -1);
    const r2 = await call(sb, `/api/v1/serviceaccounts?limit=3&continue=${r.json.metadata.continue}`);
    assert.equal(r2.status, 200);
    const last = p.json.items[2].metadata;
    assert.ok(`${r2.json.items[0].metadata.namespace}/${r2.json.items[0].metadata.name}` > `${last.namespace}/${last.name}`);
  });

  test('410 Expired when a continue token outlives continueTtlSeconds', async () => {
    const p = await call(sb, '/api/v1/serviceaccounts?limit=3');
    await new Promise((r) => setTimeout(r, 2300));
    const r = await call(sb, `/api/v1/serviceaccounts?limit=3&continue=${p.json.metadata.continue}`);
    assert.equal(r.status, 410);
  });

});

suite('sandbox scale fixture', () => {
  let sb: Sandbox;
  let startMs = 0;
  suiteSetup(async () => {
    const t0 = Date.now();
    sb = await startSandbox({ fixture: 'scale' });
    startMs = Date.now() - t0;
  });
  suiteTeardown(async () => sb?.close());

  test('starts fast with >= 2,000 namespaces and 20,000 service accounts plus pods', async () => {
    assert.ok(startMs < 15_000, `start took ${startMs} ms`);
    const info = await call(sb, '/sandbox/v1/info');
    assert.equal(info.json.counts.namespaces, 2000);
    assert.equal(info.json.counts.serviceaccounts, 20000);
    assert.equal(info.json.counts.pods, 4000);
  });

  test('all 20,000 service accounts page through with limit=500 (kubectl page size)', async () => {
    const first = await call(sb, '/api/v1/serviceaccounts?limit=500');
    assert.equal(first.json.metadata.remainingItemCount, 19500);
    const all = await listAll(sb, '/api/v1/serviceaccounts', 500);
    assert.equal(all.pages, 40);
    assert.equal(new Set(all.names).size, 20000);
  });

  test('namespace list pages', async () => {
    const all = await listAll(sb, '/api/v1/namespaces', 500);
    assert.equal(all.names.length, 2000);
    const one = await call(sb, '/api/v1/namespaces/scale-1999/serviceaccounts');
    assert.equal(one.json.items.length, 10);
  });
});
