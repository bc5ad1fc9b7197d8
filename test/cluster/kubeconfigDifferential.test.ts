// Kubeconfig semantics, differential: each variant goes to kubectl (of the control plane's release) and
// to the extension's kube layer, against the real control plane. Both must authenticate as the same
// user, or both refuse; a refusal of ours names the file, the entry and the field.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { createClusterClient, loadKubeconfig } from '../../src/kube/index';
import { startControlPlane, type ControlPlane } from '../harness/controlPlane';
import { run } from '../harness/processes';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';

type Json = Record<string, any>;

/** Who a kubeconfig authenticates as, or the refusal. */
type Outcome = { user: string } | { refused: string };

suite('kubeconfig variants: the kube layer resolves them as kubectl does (real control plane)', function () {
  this.timeout(120_000);
  let cp: ControlPlane;
  let dir: string;
  let base: Json;
  let caPem: string;
  let janeToken: string;

  const b64 = (s: string) => Buffer.from(s).toString('base64');
  /** One cluster, one user, one context, from the control plane's own entries. */
  const config = (cluster: Json, user: Json, context: Json = {}): Json => ({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'c',
    clusters: [{ name: 'k', cluster: { server: cp.url, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u', ...context } }],
  });
  let n = 0;
  const write = (content: Json | string, name = `config-${++n}`) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o600 });
    return file;
  };

  async function viaKubectl(files: string[]): Promise<Outcome> {
    try {
      const { stdout } = await run(cp.kubectl, ['auth', 'whoami', '-o', 'json', '--request-timeout', '10s'], { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: files.join(':') }, timeoutMs: 30_000 });
      return { user: (JSON.parse(stdout) as Json).status.userInfo.username };
    } catch (e) {
      return { refused: (e as Error).message };
    }
  }

  async function viaKubeLayer(files: string[]): Promise<Outcome> {
    try {
      const client = createClusterClient(loadKubeconfig({ paths: files }), { timeoutMs: 10_000 });
      try {
        return { user: (await client.selfSubjectReview()).username ?? '' };
      } finally {
        client.dispose();
      }
    } catch (e) {
      return { refused: (e as Error).message };
    }
  }

  /** Both agree; returns our refusal text (or undefined when both authenticated). */
  async function same(files: string | string[], expected: string | 'refused'): Promise<string | undefined> {
    const list = typeof files === 'string' ? [files] : files;
    const [theirs, ours] = await Promise.all([viaKubectl(list), viaKubeLayer(list)]);
    if (expected === 'refused') {
      assert.ok('refused' in theirs, `kubectl accepted it: ${JSON.stringify(theirs)}`);
      assert.ok('refused' in ours, `the kube layer accepted what kubectl refuses: ${JSON.stringify(ours)}\nkubectl: ${(theirs as { refused: string }).refused}`);
      return ours.refused;
    }
    assert.deepEqual(theirs, { user: expected }, 'kubectl');
    assert.deepEqual(ours, { user: expected }, 'kube layer');
    return undefined;
  }

  suiteSetup(async () => {
    cp = await startControlPlane({ fixture: 'none' });
    dir = makeTempDir('kubeconfigs');
    const kc = (await import('node:fs')).readFileSync(cp.kubeconfigPath, 'utf8');
    base = JSON.parse(kc) as Json;
    caPem = cp.caPem;
    janeToken = base.users.find((u: Json) => u.name === 'jane').user.token;
  });
  suiteTeardown(async () => {
    await cp?.close();
    if (dir) {removeTempDir(dir);}
  });

  const admin = () => base.users.find((u: Json) => u.name === 'sandbox-admin').user as Json;
  const caData = () => ({ 'certificate-authority-data': b64(caPem) });

  test('the control plane\'s own kubeconfig: the admin certificate', async () => {
    await same(cp.kubeconfigPath, 'sandbox-admin');
  });

  test('tokenFile (kubectl\'s key), with the trailing newline editors add: the file\'s token, trimmed', async () => {
    const tokenFile = write(`${janeToken}\n`, 'jane.token');
    await same(write(config(caData(), { tokenFile })), 'jane');
  });

  test('token and tokenFile both set: the file wins', async () => {
    const tokenFile = write(`${janeToken}\n`, 'jane-2.token');
    await same(write(config(caData(), { token: 'not-a-valid-token', tokenFile })), 'jane');
  });

  test('tokenFile relative to the kubeconfig that names it', async () => {
    write(janeToken, 'relative.token');
    await same(write(config(caData(), { tokenFile: 'relative.token' })), 'jane');
  });

  test('refused like kubectl: certificate-authority-data and certificate-authority both set', async () => {
    const caFile = write(caPem, 'ca.crt');
    const refusal = await same(write(config({ ...caData(), 'certificate-authority': caFile }, admin())), 'refused');
    assert.match(refusal!, /cluster "k": certificate-authority-data and certificate-authority are both set/);
  });

  test('refused like kubectl: client-certificate-data and client-certificate both set (even with the file present)', async () => {
    const certFile = write(Buffer.from(admin()['client-certificate-data'], 'base64').toString(), 'admin.crt');
    const refusal = await same(write(config(caData(), { ...admin(), 'client-certificate': certFile })), 'refused');
    assert.match(refusal!, /user "u": client-certificate-data and client-certificate are both set/);
  });

  test('a certificate-authority file, relative to the kubeconfig, and client certificate files', async () => {
    write(caPem, 'relative-ca.crt');
    const certFile = write(Buffer.from(admin()['client-certificate-data'], 'base64').toString(), 'client.crt');
    const keyFile = write(Buffer.from(admin()['client-key-data'], 'base64').toString(), 'client.key');
    await same(write(config({ 'certificate-authority': 'relative-ca.crt' }, { 'client-certificate': certFile, 'client-key': keyFile })), 'sandbox-admin');
  });

  test('refused like kubectl: a certificate-authority file that does not exist', async () => {
    const refusal = await same(write(config({ 'certificate-authority': join(dir, 'nowhere.crt') }, admin())), 'refused');
    assert.match(refusal!, /cluster "k": certificate-authority names .*nowhere\.crt, which cannot be read/);
  });

  test('the kebab-case token-file, which kubectl ignores: sent without credentials, as kubectl is', async () => {
    const tokenFile = write(janeToken, 'kebab.token');
    await same(write(config(caData(), { 'token-file': tokenFile })), 'refused');
  });

  test('insecure-skip-tls-verify: yes (YAML 1.1, as kubectl reads it) and no CA: TLS verification off', async () => {
    const yaml = [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters:', `- name: k`, `  cluster:`, `    server: ${cp.url}`, '    insecure-skip-tls-verify: yes',
      'users:', '- name: u', '  user:', `    token: ${janeToken}`,
      'contexts:', '- name: c', '  context:', '    cluster: k', '    user: u',
    ].join('\n');
    await same(write(yaml), 'jane');
  });

  test('refused like kubectl: insecure-skip-tls-verify together with a CA', async () => {
    const refusal = await same(write(config({ ...caData(), 'insecure-skip-tls-verify': true }, admin())), 'refused');
    assert.match(refusal!, /insecure-skip-tls-verify/);
    assert.match(refusal!, /cluster "k"/);
  });

  test('refused like kubectl: certificate-authority-data that is not base64', async () => {
    const file = write(config({ 'certificate-authority-data': 'not base64!!' }, admin()));
    const refusal = await same(file, 'refused');
    assert.ok(refusal!.includes(file), refusal);
    assert.match(refusal!, /cluster "k".*certificate-authority-data/);
  });

  test('refused like kubectl: certificate-authority-data that is base64 but no PEM certificate', async () => {
    const refusal = await same(write(config({ 'certificate-authority-data': b64('hello') }, admin())), 'refused');
    assert.match(refusal!, /certificate-authority-data/);
  });

  test('refused like kubectl: client-certificate-data that is not base64', async () => {
    const file = write(config(caData(), { ...admin(), 'client-certificate-data': '%%%' }));
    const refusal = await same(file, 'refused');
    assert.ok(refusal!.includes(file), refusal);
    assert.match(refusal!, /user "u".*client-certificate-data/);
  });

  test('several files: the first file\'s entries and current-context win', async () => {
    const first = write(config(caData(), { token: janeToken }));
    const second = write({ ...config(caData(), admin()), 'current-context': 'c' });
    await same([first, second], 'jane');
    await same([second, first], 'sandbox-admin');
  });

  test('the context\'s namespace, or default, as kubectl config view --minify reports it', async () => {
    for (const context of [{ namespace: 'build' }, {}]) {
      const file = write(config(caData(), { token: janeToken }, context));
      const { stdout } = await run(cp.kubectl, ['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}'], { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: file } });
      const client = createClusterClient(loadKubeconfig({ paths: file }));
      try {
        assert.equal(client.connectionInfo.namespace, stdout || 'default');
      } finally {
        client.dispose();
      }
    }
  });

  test('a rotated tokenFile is used from the next request on, without reloading anything', async () => {
    const tokenFile = write(janeToken, 'rotating.token');
    const client = createClusterClient(loadKubeconfig({ paths: write(config(caData(), { tokenFile })) }));
    try {
      assert.equal((await client.selfSubjectReview()).username, 'jane');
      writeFileSync(tokenFile, `${cp.adminToken}\n`);
      assert.equal((await client.selfSubjectReview()).username, 'sandbox-admin');
    } finally {
      client.dispose();
    }
  });

  test('refused like kubectl: the removed gcp auth provider, with the plugin to use instead', async () => {
    const refusal = await same(write(config(caData(), { 'auth-provider': { name: 'gcp', config: {} } })), 'refused');
    assert.match(refusal!, /user "u": auth-provider "gcp" was removed/);
  });

  test('a plain http:// server: requests as the user and as an issued token are refused alike', async () => {
    // client-node's rule (http only with insecure-skip-tls-verify); kubectl would send credentials in clear.
    const file = write({ ...config({}, { token: janeToken }), clusters: [{ name: 'k', cluster: { server: cp.url.replace('https:', 'http:') } }] });
    const c = createClusterClient(loadKubeconfig({ paths: file }));
    try {
      const asUser = await c.selfSubjectReview().then(() => 'accepted', (e: Error) => e.message);
      const asToken = await c.selfSubjectReview({ asToken: janeToken }).then(() => 'accepted', (e: Error) => e.message);
      assert.match(asUser, /HTTP protocol is not allowed/);
      assert.match(asToken, /HTTP protocol is not allowed/);
    } finally {
      c.dispose();
    }
  });
});
