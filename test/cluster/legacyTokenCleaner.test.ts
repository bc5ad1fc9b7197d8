// The legacy-token cleaner of kube-controller-manager, run by the real control plane with a fast sync.
// The sandbox has no controllers: this behaviour is the real server's alone (test/sandbox/README.md).
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { startControlPlane, type ControlPlane } from '../harness/controlPlane';
import { eventually } from './clusters';
import { call } from './helpers';

suite('kube-apiserver: the legacy-token cleaner', () => {
  let cp: ControlPlane;
  suiteSetup(async () => {
    // The cleaner spares Secrets younger than its period and compares dates by the day: with a 2 s period the
    // fixture's Secret (last used in January) is marked today, and is not deleted before tomorrow.
    cp = await startControlPlane({ fixture: 'demo', legacyTokenCleanUpPeriod: '2s', legacyTokenSyncInterval: '1s' });
  });
  suiteTeardown(async () => cp?.close());

  const labels = async (ns: string, name: string) => (await call(cp, `/api/v1/namespaces/${ns}/secrets/${name}`)).json.metadata?.labels ?? {};
  const token = async (ns: string, name: string) => Buffer.from((await call(cp, `/api/v1/namespaces/${ns}/secrets/${name}`)).json.data.token, 'base64').toString();
  const whoami = async (t: string) => (await call(cp, '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token: t, body: {} })).status;

  test('marks an unused auto-generated token invalid since today; the API server then refuses it', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const ciBot = await token('build', 'ci-bot-token');
    const marked = await eventually('the cleaner to mark build/ci-bot-token', async () => {
      const l = await labels('build', 'ci-bot-token');
      return l['kubernetes.io/legacy-token-invalid-since'] ? l : undefined;
    });
    assert.equal(marked['kubernetes.io/legacy-token-invalid-since'], today);
    await eventually('the marked token to be refused (after the 10 s authentication cache)', async () => ((await whoami(ciBot)) === 401 ? true : undefined), 20_000);
  });

  test('leaves Secrets alone that the service account does not list (manually created tokens)', async () => {
    // deployer-token-legacy is not in deployer's secrets: not auto-generated, never cleaned.
    const l = await labels('build', 'deployer-token-legacy');
    assert.equal(l['kubernetes.io/legacy-token-invalid-since'], undefined);
    assert.equal(await whoami(await token('build', 'deployer-token-legacy')), 201);
  });
});
