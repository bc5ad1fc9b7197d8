/**
 * kubectl equivalence, live: for the same options, the TokenRequest the extension's kube layer sends
 * equals, field for field, the one kubectl (of the real control plane's release) sends to the sandbox (both captured
 * through `sandbox.requests`; kubectl's protobuf body is decoded to JSON by the sandbox). Plus the
 * server's expiration cap as the Request Token flow sees it (warning + "shortened").
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { summarizeIssuedToken } from '../../src/core/token/issuedToken';
import { toKubectlCreateTokenCommand } from '../../src/core/kubectl/kubectlCommand';
import { buildTokenRequestQuery, tokenRequestPath, type TokenRequestOptions } from '../../src/core/tokenRequest/tokenRequest';
import type { ClusterClient } from '../../src/kube/clusterClient';
import { createClusterClient, loadKubeconfig } from '../../src/kube/index';
import { startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/sandbox';
import { ensureControlPlaneBinaries } from '../harness/controlPlane';
import { call, kubectl } from './helpers';

function tokenPosts(sb: Sandbox, from: number): RecordedRequest[] {
  return sb.requests.slice(from).filter((r) => r.method === 'POST' && r.path.endsWith('/token'));
}

/**
 * kubectl v1.33 and older (v1.32 here) send `"metadata":{"creationTimestamp":null}`, v1.34+ send
 * `"metadata":{}` like the extension; the server reads both the same. Only that
 * null zero value is removed, so any other difference still fails.
 */
function withoutNullCreationTimestamp(body: unknown): unknown {
  const copy = structuredClone(body) as { metadata?: Record<string, unknown> };
  if (copy.metadata !== undefined && 'creationTimestamp' in copy.metadata && copy.metadata.creationTimestamp === null) {
    delete copy.metadata.creationTimestamp;
  }
  return copy;
}

async function uid(sb: Sandbox, path: string): Promise<string> {
  const r = await call(sb, path);
  assert.equal(r.status, 200, r.text);
  return r.json.metadata.uid as string;
}

suite('Request Token: kubectl equivalence (live sandbox)', function () {
  this.timeout(120_000);
  let bin: string;
  let sb: Sandbox;
  let client: ClusterClient;
  let podUid: string;
  let nodeUid: string;

  suiteSetup(async function () {
    bin = (await ensureControlPlaneBinaries()).kubectl;
    sb = await startSandbox();
    client = createClusterClient(loadKubeconfig({ paths: sb.kubeconfigPath }), { context: sb.contexts.admin });
    podUid = await uid(sb, '/api/v1/namespaces/build/pods/runner-7');
    nodeUid = await uid(sb, '/api/v1/nodes/worker-1');
  });

  suiteTeardown(async () => {
    client?.dispose();
    await sb?.close();
  });

  const cases: Array<[string, () => TokenRequestOptions]> = [
    ['defaults only', () => ({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [] })],
    ['audiences and a lifetime', () => ({ namespace: 'build', serviceAccount: 'ci-bot', audiences: ['vault', 'https://sts.example'], expirationSeconds: 5400 })],
    ['bound to a pod with its uid', () => ({ namespace: 'build', serviceAccount: 'ci-bot', audiences: ['sts.amazonaws.com'], expirationSeconds: 3600, boundObject: { kind: 'Pod', name: 'runner-7', uid: podUid } })],
    ['bound to a pod without uid', () => ({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [], boundObject: { kind: 'Pod', name: 'runner-8' } })],
    ['bound to a secret', () => ({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 600, boundObject: { kind: 'Secret', name: 'vault-config' } })],
    ['bound to a node', () => ({ namespace: 'build', serviceAccount: 'deployer', audiences: ['api://AzureADTokenExchange'], expirationSeconds: 604800, boundObject: { kind: 'Node', name: 'worker-1', uid: nodeUid } })],
  ];

  for (const [name, make] of cases) {
    test(`same body as kubectl: ${name}`, async () => {
      const options = make();
      const args = toKubectlCreateTokenCommand(options, { context: sb.contexts.admin }).args.slice(1);
      const before = sb.requests.length;
      const result = await kubectl(bin!, sb, args);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout.trim(), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/, 'kubectl printed a token');
      const fromKubectl = tokenPosts(sb, before);
      assert.equal(fromKubectl.length, 1, 'kubectl sent one TokenRequest');
      assert.match(fromKubectl[0]!.headers['user-agent'] ?? '', /^kubectl\//);

      const mark = sb.requests.length;
      const issued = await client.createToken(options);
      assert.equal(issued.httpStatus, 201);
      const ours = tokenPosts(sb, mark);
      assert.equal(ours.length, 1, 'the extension sent one TokenRequest');

      assert.equal(ours[0]!.path, fromKubectl[0]!.path);
      assert.equal(ours[0]!.path, tokenRequestPath(options));
      assert.deepEqual(ours[0]!.body, withoutNullCreationTimestamp(fromKubectl[0]!.body), 'field for field the same body');
      assert.deepEqual(ours[0]!.query, {}, 'no query string, like kubectl');
      assert.deepEqual(fromKubectl[0]!.query, {});
    });
  }

  test('the comparison can fail: a different lifetime gives a different body', async () => {
    const options: TokenRequestOptions = { namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 3600 };
    const before = sb.requests.length;
    const result = await kubectl(bin!, sb, toKubectlCreateTokenCommand(options, { context: sb.contexts.admin }).args.slice(1));
    assert.equal(result.code, 0, result.stderr);
    const mark = sb.requests.length;
    await client.createToken({ ...options, expirationSeconds: 3601 });
    assert.notDeepEqual(tokenPosts(sb, mark)[0]!.body, withoutNullCreationTimestamp(tokenPosts(sb, before)[0]!.body));
  });

  test('options kubectl cannot send travel as query parameters only; the body stays kubectl\'s', async () => {
    const options: TokenRequestOptions = { namespace: 'build', serviceAccount: 'ci-bot', audiences: ['vault'], dryRun: true, fieldManager: 'sa-tokens', fieldValidation: 'Strict', pretty: true };
    const before = sb.requests.length;
    const result = await kubectl(bin!, sb, toKubectlCreateTokenCommand(options, { context: sb.contexts.admin }).args.slice(1));
    assert.equal(result.code, 0, result.stderr);
    const mark = sb.requests.length;
    const issued = await client.createToken(options);
    assert.ok(issued.token.length > 0, 'dryRun=All still returns a token');
    const ours = tokenPosts(sb, mark)[0]!;
    assert.deepEqual(ours.body, withoutNullCreationTimestamp(tokenPosts(sb, before)[0]!.body));
    assert.deepEqual(ours.query, buildTokenRequestQuery(options));
    assert.deepEqual(ours.query, { dryRun: 'All', fieldManager: 'sa-tokens', fieldValidation: 'Strict', pretty: 'true' });
  });
});

suite('Request Token: the server caps the lifetime (live sandbox, max 3600 s)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let client: ClusterClient;

  suiteSetup(async () => {
    sb = await startSandbox({ maxTokenExpirationSeconds: 3600 });
    client = createClusterClient(loadKubeconfig({ paths: sb.kubeconfigPath }), { context: sb.contexts.admin });
  });

  suiteTeardown(async () => {
    client?.dispose();
    await sb?.close();
  });

  test('7200 s is shortened to 3600 s, with the Warning header and a "shortened" comparison', async () => {
    const options: TokenRequestOptions = { namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 7200 };
    const requestStart = Date.now();
    const result = await client.createToken(options);
    const responseEnd = Date.now();
    assert.deepEqual(result.warnings, ['requested expiration of 7200 seconds shortened to 3600 seconds']);
    assert.equal(result.tokenRequest.spec.expirationSeconds, 3600);
    const { meta, comparison } = summarizeIssuedToken(
      options,
      { token: result.token, spec: result.tokenRequest.spec, expirationTimestamp: result.tokenRequest.status.expirationTimestamp, ...(result.serverDate !== undefined ? { serverDate: result.serverDate } : {}) },
      { context: sb.contexts.admin, cluster: client.connectionInfo.clusterName, server: client.connectionInfo.server },
      { requestStart, responseEnd },
    );
    assert.equal(comparison.shortened, true);
    assert.equal(comparison.explanations[0], 'You asked for 2h but the server issued 1h: its --service-account-max-token-expiration caps token lifetimes.');
    assert.equal(meta.issuedExpirationSeconds, 3600);
    assert.equal(meta.expiresAt - meta.issuedAt, 3600_000);
    assert.ok(meta.clockSkewMs !== undefined && Math.abs(meta.clockSkewMs) < 5_000, `skew ${meta.clockSkewMs}`);
  });

  test('a request under the cap is not shortened', async () => {
    const result = await client.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [], expirationSeconds: 1800 });
    assert.deepEqual(result.warnings, []);
    assert.equal(result.tokenRequest.spec.expirationSeconds, 1800);
  });
});
