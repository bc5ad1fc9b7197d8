// proxy-url: every request goes through the proxy, also those sent as an issued token (Who am I, What
// can it do, TokenReview as the token), and kubectl goes the same way. Against the real control plane.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { copyText } from '../../../src/core/kubectl/copyAs';
import { createClusterClient, loadKubeconfig } from '../../../src/kube/index';
import { run } from '../../harness/processes';
import { startControlPlane, type ControlPlane } from '../../harness/controlPlane';
import { kubectl } from '../helpers';
import { startConnectProxy, type ConnectProxy } from './connectProxy';

suite('kube-apiserver: proxy-url is followed by every request', () => {
  let cp: ControlPlane;
  let proxy: ConnectProxy;
  let path: string;
  suiteSetup(async () => {
    cp = await startControlPlane({ fixture: 'demo' });
    proxy = await startConnectProxy();
    const config = JSON.parse(readFileSync(cp.kubeconfigPath, 'utf8')) as { clusters: { name: string; cluster: Record<string, unknown> }[] };
    for (const c of config.clusters) {c.cluster['proxy-url'] = proxy.url;}
    path = join(cp.dataDir, 'proxied.kubeconfig');
    writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  });
  suiteTeardown(async () => {
    proxy?.server.closeAllConnections();
    proxy?.server.close();
    await cp?.close();
  });

  test('the kubeconfig user\'s requests and requests as an issued token both tunnel through the proxy', async () => {
    const client = createClusterClient(loadKubeconfig({ paths: path }), { context: cp.contexts.admin });
    try {
      const before = proxy.tunnels();
      const { token } = await client.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [] });
      assert.ok(proxy.tunnels() > before, 'the TokenRequest went through the proxy');
      const viaUser = proxy.tunnels();
      assert.equal((await client.selfSubjectReview({ asToken: token })).username, 'system:serviceaccount:build:ci-bot');
      assert.ok(proxy.tunnels() > viaUser, 'the request as the token went through the proxy too');
    } finally {
      client.dispose();
    }
    const before = proxy.tunnels();
    const k = await kubectl(cp.kubectl, { ...cp, kubeconfigPath: path }, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    assert.equal(k.stdout, 'sandbox-admin', k.stderr);
    assert.ok(proxy.tunnels() > before, 'kubectl tunnels through the same proxy');
  });

  test('Copy as curl and kubectl keep proxy-url and tls-server-name, and work where the extension works', async () => {
    const client = createClusterClient(loadKubeconfig({ paths: path }), { context: cp.contexts.admin });
    let token: string;
    try {
      token = (await client.createToken({ namespace: 'build', serviceAccount: 'ci-bot', audiences: [] })).token;
    } finally {
      client.dispose();
    }
    const caFile = join(cp.dataDir, 'ca.crt');
    // The serving certificate names kubernetes.default.svc, not the address the commands connect to.
    const target = { server: cp.url, clusterName: 'sandbox', contextName: cp.contexts.admin, insecure: false, caFile, proxyUrl: proxy.url, tlsServerName: 'kubernetes.default.svc' };
    for (const format of ['kubectl', 'curl'] as const) {
      const { text } = copyText(format, token, target);
      const before = proxy.tunnels();
      const { stdout } = await run('sh', ['-c', text], { env: { PATH: `${join(cp.kubectl, '..')}:${process.env.PATH ?? ''}`, HOME: cp.dataDir }, timeoutMs: 30_000 });
      assert.match(stdout, /system:serviceaccount:build:ci-bot/, `${format}: ${stdout}`);
      if (format === 'curl') {
        assert.ok(proxy.tunnels() > before, 'curl went through the proxy');
      } else {
        // kubectl takes the proxy from HTTPS_PROXY, which Go never applies to a loopback server: only
        // the command's text can show it here.
        assert.ok(text.startsWith(`HTTPS_PROXY='${proxy.url}' kubectl `) || text.startsWith(`HTTPS_PROXY=${proxy.url} kubectl `), text);
      }
    }
  });
});
