// Read-only checks that the extension's kube layer sees a cluster as kubectl does, for any cluster a
// kubeconfig reaches: SA_TOKENS_TEST_KUBECONFIG (and SA_TOKENS_TEST_CONTEXT) point it at yours (kind,
// minikube, a cloud cluster); without them it runs against the real control plane. It writes nothing:
// no fixture, no objects, no tokens unless SA_TOKENS_TEST_MINT=1 allows one TokenRequest.
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { verifyToken } from '../../src/core/token/tokenVerification';
import type { ClusterClient } from '../../src/kube/clusterClient';
import { createClusterClient, loadKubeconfig } from '../../src/kube/index';
import { ensureControlPlaneBinaries, startControlPlane, type ControlPlane } from '../harness/controlPlane';
import { run } from '../harness/processes';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';

const external = process.env.SA_TOKENS_TEST_KUBECONFIG;

suite(`any cluster, read-only: the kube layer agrees with kubectl (${external ?? 'the real control plane'})`, function () {
  this.timeout(180_000);
  let cp: ControlPlane | undefined;
  let kubeconfig: string;
  let context: string | undefined;
  let client: ClusterClient;
  let kubectlBin: string;
  let home: string;
  const kubectl = async (...args: string[]) =>
    (await run(kubectlBin, ['--kubeconfig', kubeconfig, ...(context ? ['--context', context] : []), ...args], { env: { PATH: process.env.PATH ?? '', HOME: home }, timeoutMs: 120_000 })).stdout;

  suiteSetup(async () => {
    kubectlBin = (await ensureControlPlaneBinaries()).kubectl;
    home = makeTempDir('any-cluster-home');
    if (external) {
      kubeconfig = external;
      context = process.env.SA_TOKENS_TEST_CONTEXT || undefined;
    } else {
      cp = await startControlPlane({ fixture: 'demo' });
      kubeconfig = cp.kubeconfigPath;
    }
    client = createClusterClient(loadKubeconfig({ paths: kubeconfig }), context ? { context } : {});
  });
  suiteTeardown(async () => {
    client?.dispose();
    await cp?.close();
    if (home) {removeTempDir(home);}
  });

  test('the same user as kubectl auth whoami', async () => {
    const theirs = JSON.parse(await kubectl('auth', 'whoami', '-o', 'json')) as { status: { userInfo: { username: string; groups?: string[] } } };
    const ours = await client.selfSubjectReview();
    assert.equal(ours.username, theirs.status.userInfo.username);
    assert.deepEqual(ours.groups, theirs.status.userInfo.groups);
  });

  test('the same service accounts as kubectl get sa -A, in the same order', async () => {
    const theirs = (await kubectl('get', 'sa', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}')).split('\n').filter(Boolean);
    const ours: string[] = [];
    for await (const page of client.walkServiceAccounts()) {
      ours.push(...page.map((s) => `${s.namespace}/${s.name}`));
    }
    assert.ok(ours.length > 0);
    assert.deepEqual(ours, theirs);
  });

  test('the same issuer and signing keys as kubectl get --raw (JWKS negotiated as application/jwk-set+json)', async () => {
    const discovery = JSON.parse(await kubectl('get', '--raw', '/.well-known/openid-configuration')) as { issuer: string };
    assert.equal((await client.getOpenIdConfiguration()).issuer, discovery.issuer);
    const jwks = JSON.parse(await kubectl('get', '--raw', '/openid/v1/jwks')) as { keys: { kid: string }[] };
    assert.deepEqual((await client.getJwks()).keys.map((k) => k.kid), jwks.keys.map((k) => k.kid));
  });

  // Minting issues a credential on someone's cluster: only when asked. Against ours, always.
  if (!external || process.env.SA_TOKENS_TEST_MINT === '1') {
    test('a token the cluster issues verifies against its own keys (one TokenRequest)', async () => {
      const namespace = (await client.listServiceAccounts({ limit: 1 })).items[0]!;
      const { token } = await client.createToken({ namespace: namespace.namespace, serviceAccount: namespace.name, audiences: [], expirationSeconds: 600 });
      const { issuer } = await client.getOpenIdConfiguration();
      assert.equal((await verifyToken(token, await client.getJwks(), { issuer, now: Date.now() })).state, 'verified');
    });
  }
});
