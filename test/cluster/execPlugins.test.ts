// Exec credential plugins, against the real control plane, with kubectl of the same release where it
// can take part: KUBERNETES_EXEC_INFO, apiVersion and interactiveMode checks, re-runs after a 401 and
// at expiry, one run for concurrent requests, and a hanging plugin killed at the request's timeout.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { createClusterClient, loadKubeconfig } from '../../src/kube/index';
import { startControlPlane, type ControlPlane } from '../harness/controlPlane';
import { run } from '../harness/processes';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';

type Json = Record<string, any>;

suite('exec credential plugins (real control plane, kubectl alongside)', function () {
  this.timeout(120_000);
  let cp: ControlPlane;
  let dir: string;
  let janeToken: string;
  let n = 0;

  /** A plugin script: records KUBERNETES_EXEC_INFO and its runs, then answers as `body` says. */
  const plugin = (body: string): { command: string; runs: () => number; info: () => Json[] } => {
    const id = ++n;
    const command = join(dir, `plugin-${id}.sh`);
    const log = join(dir, `plugin-${id}.runs`);
    writeFileSync(command, `#!/bin/sh\nprintf '%s\\n' "$KUBERNETES_EXEC_INFO" >> '${log}'\nrun=$(wc -l < '${log}')\n${body}\n`, { mode: 0o755 });
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);
    return { command, runs: () => lines().length, info: () => lines().map((l) => JSON.parse(l) as Json) };
  };
  const credential = (token: string, apiVersion = 'client.authentication.k8s.io/v1', expiry = '') =>
    `printf '%s' '{"apiVersion":"${apiVersion}","kind":"ExecCredential","status":{"token":"${token}"${expiry ? `,"expirationTimestamp":"${expiry}"` : ''}}}'`;
  const kubeconfig = (exec: Json): string => {
    const file = join(dir, `config-${++n}`);
    writeFileSync(file, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
      clusters: [{ name: 'k', cluster: { server: cp.url, 'certificate-authority-data': Buffer.from(cp.caPem).toString('base64'), 'tls-server-name': 'localhost' } }],
      users: [{ name: 'u', user: { exec } }],
      contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    }), { mode: 0o600 });
    return file;
  };
  const viaKubectl = async (file: string): Promise<{ user?: string; error?: string }> => {
    try {
      const { stdout } = await run(cp.kubectl, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: file }, timeoutMs: 30_000 });
      return { user: stdout };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  const client = (file: string, timeoutMs = 10_000) => createClusterClient(loadKubeconfig({ paths: file }), { timeoutMs });

  suiteSetup(async () => {
    cp = await startControlPlane({ fixture: 'none' });
    dir = makeTempDir('exec-plugins');
    janeToken = (JSON.parse(readFileSync(cp.kubeconfigPath, 'utf8')) as Json).users.find((u: Json) => u.name === 'jane').user.token;
  });
  suiteTeardown(async () => {
    await cp?.close();
    if (dir) {removeTempDir(dir);}
  });

  test('KUBERNETES_EXEC_INFO is what kubectl sets, with spec.cluster when provideClusterInfo is on', async () => {
    const p = plugin(credential(janeToken));
    const file = kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command, interactiveMode: 'Never', provideClusterInfo: true });
    assert.deepEqual(await viaKubectl(file), { user: 'jane' });
    const c = client(file);
    try {
      assert.equal((await c.selfSubjectReview()).username, 'jane');
    } finally {
      c.dispose();
    }
    const [theirs, ours] = p.info();
    assert.equal(theirs!.spec.cluster.server, cp.url);
    assert.deepEqual(ours, theirs);
  });

  test('refused like kubectl: the plugin answers another apiVersion than configured', async () => {
    const p = plugin(credential(janeToken, 'client.authentication.k8s.io/v1beta1'));
    const file = kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command, interactiveMode: 'Never' });
    assert.ok((await viaKubectl(file)).error, 'kubectl refuses');
    const c = client(file);
    try {
      await assert.rejects(c.selfSubjectReview(), (e: { code: string; message: string }) => e.code === 'ERR_EXEC_PLUGIN' && /apiVersion client\.authentication\.k8s\.io\/v1beta1, but the kubeconfig configures client\.authentication\.k8s\.io\/v1/.test(e.message));
    } finally {
      c.dispose();
    }
  });

  test('refused like kubectl: client.authentication.k8s.io/v1 without interactiveMode, naming the field', async () => {
    const p = plugin(credential(janeToken));
    const file = kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command });
    assert.match((await viaKubectl(file)).error ?? '', /interactiveMode/);
    assert.throws(() => client(file), (e: Error) => /user "u": exec\.interactiveMode is required/.test(e.message));
    assert.equal(p.runs(), 0, 'the plugin never ran');
  });

  test('a credential the server rejects (401): the kube layer runs the plugin again and retries once', async () => {
    const p = plugin(`if [ "$run" -le 1 ] || [ "$run" -eq 3 ]; then ${credential('stale-token')}; else ${credential(janeToken)}; fi`);
    const file = kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command, interactiveMode: 'Never' });
    const c = client(file);
    try {
      assert.equal((await c.selfSubjectReview()).username, 'jane');
    } finally {
      c.dispose();
    }
    // client-go refreshes the credential after a 401 too, but a one-shot kubectl command fails on that
    // request; a long-lived extension retries it once with the fresh credential.
    assert.equal(p.runs(), 2, 'once, and once more after the 401');
  });

  test('a credential is kept until its expirationTimestamp, then the plugin runs again; concurrent requests share one run', async () => {
    const soon = new Date(Date.now() + 2000).toISOString().replace(/\.\d+Z$/, 'Z');
    const p = plugin(`sleep 0.3; ${credential(janeToken, 'client.authentication.k8s.io/v1', soon)}`);
    const c = client(kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command, interactiveMode: 'Never' }));
    try {
      await Promise.all([c.selfSubjectReview(), c.listServiceAccounts({ namespace: 'default' }).catch(() => undefined), c.selfSubjectReview()]);
      assert.equal(p.runs(), 1, 'one run for three concurrent requests');
      await c.selfSubjectReview();
      assert.equal(p.runs(), 1, 'still valid: no run');
      await new Promise((r) => setTimeout(r, 2500));
      await c.selfSubjectReview();
      assert.equal(p.runs(), 2, 'expired: run again');
    } finally {
      c.dispose();
    }
  });

  test('a plugin that hangs is killed at the request timeout, with a clear message', async () => {
    const pidFile = join(dir, 'hang.pid');
    const p = plugin(`echo $$ > '${pidFile}'; exec sleep 600`);
    const c = client(kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command, interactiveMode: 'Never' }), 1000);
    try {
      await assert.rejects(c.selfSubjectReview(), (e: { code: string; message: string }) => e.code === 'ERR_EXEC_PLUGIN' && /did not answer within 1 s and was stopped/.test(e.message));
    } finally {
      c.dispose();
    }
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the plugin process is gone');
  });

  test('refused like kubectl without a terminal: interactiveMode Always; the plugin is not run', async () => {
    const p = plugin(credential(janeToken));
    const file = kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command, interactiveMode: 'Always' });
    assert.ok((await viaKubectl(file)).error, 'kubectl refuses without a terminal');
    const c = client(file);
    try {
      await assert.rejects(c.selfSubjectReview(), (e: { code: string; message: string }) => e.code === 'ERR_EXEC_PLUGIN' && /needs a terminal \(interactiveMode: Always\)/.test(e.message));
    } finally {
      c.dispose();
    }
    assert.equal(p.runs(), 0);
  });

  test('cancelling the only request waiting for a plugin stops the plugin', async () => {
    const pidFile = join(dir, 'cancel.pid');
    const p = plugin(`echo $$ > '${pidFile}'; exec sleep 600`);
    const c = client(kubeconfig({ apiVersion: 'client.authentication.k8s.io/v1', command: p.command, interactiveMode: 'Never' }), 30_000);
    const ac = new AbortController();
    try {
      const pending = c.listNamespaces({ signal: ac.signal });
      while (!existsSync(pidFile)) {await new Promise((r) => setTimeout(r, 50));}
      ac.abort();
      await assert.rejects(pending, (e: { code: string }) => e.code === 'ERR_CANCELLED');
    } finally {
      c.dispose();
    }
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the plugin process is gone');
  });
});
