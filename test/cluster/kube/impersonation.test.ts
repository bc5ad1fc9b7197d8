// `as:` in a kubeconfig user: the kube layer impersonates as kubectl does, and needs the impersonate verb.
// Only the real control plane implements impersonation (test/sandbox/README.md).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { createClusterClient, loadKubeconfig } from '../../../src/kube/index';
import { startControlPlane, type ControlPlane } from '../../harness/controlPlane';
import { kubectl } from '../helpers';

interface KubeconfigJson {
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  [key: string]: unknown;
}

suite('kube-apiserver: impersonation (`as:` in the kubeconfig)', () => {
  let cp: ControlPlane;
  let path: string;
  suiteSetup(async () => {
    cp = await startControlPlane({ fixture: 'demo' });
    const config = JSON.parse(readFileSync(cp.kubeconfigPath, 'utf8')) as KubeconfigJson;
    const admin = config.users.find((u) => u.name === 'sandbox-admin')!.user;
    const jane = config.users.find((u) => u.name === 'jane')!.user;
    config.users.push({ name: 'admin-as-jane', user: { ...admin, as: 'jane' } }, { name: 'jane-as-admin', user: { ...jane, as: 'sandbox-admin' } });
    config.contexts.push(
      { name: 'admin-as-jane', context: { cluster: 'sandbox', user: 'admin-as-jane', namespace: 'build' } },
      { name: 'jane-as-admin', context: { cluster: 'sandbox', user: 'jane-as-admin' } },
    );
    path = join(cp.dataDir, 'impersonating.kubeconfig');
    writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  });
  suiteTeardown(async () => cp?.close());

  test('an admin acting as jane gets jane\'s rights, exactly as kubectl does', async () => {
    const client = createClusterClient(loadKubeconfig({ paths: path }), { context: 'admin-as-jane' });
    try {
      await assert.rejects(client.listNamespaces(), (e: { code: string; message: string }) => e.code === 'ERR_FORBIDDEN' && /User "jane" cannot list resource "namespaces"/.test(e.message));
      assert.ok((await client.listServiceAccounts({ namespace: 'build' })).items.some((s) => s.name === 'ci-bot'));
      assert.equal((await client.selfSubjectReview()).username, 'jane');
    } finally {
      client.dispose();
    }
    const k = await kubectl(cp.kubectl, { ...cp, kubeconfigPath: path }, ['--context', 'admin-as-jane', 'get', 'ns']);
    assert.match(k.stderr, /User "jane" cannot list resource "namespaces"/);
  });

  test('a user without the right to impersonate is refused, naming it', async () => {
    const client = createClusterClient(loadKubeconfig({ paths: path }), { context: 'jane-as-admin' });
    try {
      // 1.37 checks constrained impersonation first (impersonate-on:<mode>:<verb>), then the impersonate verb.
      await assert.rejects(client.listNamespaces(), (e: { code: string; message: string }) =>
        e.code === 'ERR_FORBIDDEN' && e.message.startsWith('namespaces is forbidden: User "jane" cannot impersonate-on:user-info:list resource "namespaces" in API group "" at the cluster scope'));
    } finally {
      client.dispose();
    }
  });
});
