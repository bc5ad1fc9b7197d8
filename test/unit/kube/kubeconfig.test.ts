import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { loadKubeconfig, resolveContext, type LoadedKubeconfig } from '../../../src/kube/kubeconfig';
import { kubeconfigCandidates } from '../../../src/kube/kubeconfigFiles';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';

let dir: string;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function cfg(opts: { clusters?: [string, string][]; users?: [string, string][]; contexts?: [string, string, string, string?][]; current?: string; extra?: string }): string {
  const lines = ['apiVersion: v1', 'kind: Config'];
  lines.push('clusters:');
  for (const [name, server] of opts.clusters ?? []) {lines.push(`- name: ${name}`, '  cluster:', `    server: ${server}`);}
  lines.push('users:');
  for (const [name, token] of opts.users ?? []) {lines.push(`- name: ${name}`, '  user:', `    token: ${token}`);}
  lines.push('contexts:');
  for (const [name, cluster, user, ns] of opts.contexts ?? []) {
    lines.push(`- name: ${name}`, '  context:', `    cluster: ${cluster}`, `    user: ${user}`, ...(ns === undefined ? [] : [`    namespace: ${ns}`]));
  }
  if (opts.current !== undefined) {lines.push(`current-context: ${opts.current}`);}
  if (opts.extra !== undefined) {lines.push(opts.extra);}
  return lines.join('\n') + '\n';
}

function rejects(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (e: { code?: string; message?: string }) => {
    assert.equal(e.code, code);
    if (typeof message === 'string') {assert.equal(e.message, message);}
    else {assert.match(e.message ?? '', message);}
    return true;
  });
}

suite('kube/kubeconfig: loading and merging like kubectl', () => {
  suiteSetup(() => {
    dir = makeTempDir('kubeconfig-unit');
  });
  suiteTeardown(() => {
    removeTempDir(dir);
  });

  test('KUBECONFIG: first file wins per named entry; current-context from the first file that sets it', () => {
    const a = write('merge/a.yaml', cfg({ clusters: [['c1', 'https://a.example:6443']], users: [['u1', 'tok-a']], contexts: [['ctx1', 'c1', 'u1', 'ns-a']] }));
    const b = write('merge/b.yaml', cfg({
      clusters: [['c1', 'https://b.example:6443'], ['c2', 'https://b2.example']],
      users: [['u1', 'tok-b'], ['u2', 'tok-b2']],
      contexts: [['ctx1', 'c2', 'u2', 'ns-b'], ['ctx2', 'c2', 'u2']],
      current: 'ctx2',
    }));
    const c = write('merge/c.yaml', cfg({ contexts: [['ctx3', 'c1', 'u1']], current: 'ctx3' }));
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [a, b, c].join(path.delimiter) } }) as LoadedKubeconfig;
    assert.deepEqual(loaded.files, [a, b, c]);
    // a sets no current-context, so b's wins over c's (client-node's own merge would take c's).
    assert.equal(loaded.currentContext, 'ctx2');
    assert.deepEqual(loaded.contexts.map((x) => [x.name, x.cluster, x.user, x.namespace, x.server, x.file]), [
      ['ctx1', 'c1', 'u1', 'ns-a', 'https://a.example:6443', a],
      ['ctx2', 'c2', 'u2', undefined, 'https://b2.example', b],
      ['ctx3', 'c1', 'u1', undefined, 'https://a.example:6443', c],
    ]);
    const r = resolveContext(loaded, 'ctx1');
    assert.equal(r.cluster.server, 'https://a.example:6443');
    assert.equal(r.user.token, 'tok-a');
    assert.equal(r.namespace, 'ns-a');
    assert.equal(resolveContext(loaded).contextName, 'ctx2');
    assert.equal(resolveContext(loaded).namespace, 'default');
  });

  test('the snapshot does not expose credentials when serialised', () => {
    const a = write('ser/a.yaml', cfg({ clusters: [['c', 'https://x']], users: [['u', 'secret-token-value']], contexts: [['x', 'c', 'u']], current: 'x' }));
    const loaded = loadKubeconfig({ paths: a });
    assert.ok(!JSON.stringify(loaded).includes('secret-token-value'));
    assert.equal(resolveContext(loaded as LoadedKubeconfig).user.token, 'secret-token-value');
  });

  test('missing files in KUBECONFIG are skipped but still watched; empty items and duplicates are dropped', () => {
    const a = write('skip/a.yaml', cfg({ clusters: [['c', 'https://x']], users: [['u', 't']], contexts: [['x', 'c', 'u']], current: 'x' }));
    const missing = path.join(dir, 'skip', 'nope.yaml');
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [missing, '', a, a].join(path.delimiter) } });
    assert.deepEqual(loaded.files, [a]);
    assert.deepEqual(loaded.watchFiles, [missing, a]);
  });

  test('every KUBECONFIG file missing: ERR_KUBECONFIG_MISSING', () => {
    const m1 = path.join(dir, 'm1.yaml');
    const m2 = path.join(dir, 'm2.yaml');
    rejects(() => loadKubeconfig({ env: { KUBECONFIG: `${m1}${path.delimiter}${m2}` } }), 'ERR_KUBECONFIG_MISSING', `None of the kubeconfig files exist: ${m1}, ${m2} (from KUBECONFIG).`);
  });

  test('no KUBECONFIG: ~/.kube/config; missing → ERR_KUBECONFIG_MISSING', () => {
    const home = path.join(dir, 'home');
    fs.mkdirSync(home, { recursive: true });
    rejects(() => loadKubeconfig({ env: {}, homeDir: home }), 'ERR_KUBECONFIG_MISSING', `No kubeconfig file at ${path.join(home, '.kube', 'config')} (from the default location).`);
    write('home/.kube/config', cfg({ clusters: [['c', 'https://h']], users: [['u', 't']], contexts: [['h', 'c', 'u']], current: 'h' }));
    assert.deepEqual(loadKubeconfig({ env: {}, homeDir: home }).files, [path.join(home, '.kube', 'config')]);
  });

  test('explicit paths override KUBECONFIG; a missing explicit file is an error', () => {
    const a = write('expl/a.yaml', cfg({ clusters: [['c', 'https://e']], users: [['u', 't']], contexts: [['e', 'c', 'u']], current: 'e' }));
    const other = write('expl/other.yaml', cfg({ clusters: [['c', 'https://o']], users: [['u', 't']], contexts: [['o', 'c', 'u']], current: 'o' }));
    assert.equal(loadKubeconfig({ paths: [a], env: { KUBECONFIG: other } }).currentContext, 'e');
    const gone = path.join(dir, 'expl', 'gone.yaml');
    rejects(() => loadKubeconfig({ paths: [a, gone] }), 'ERR_KUBECONFIG_MISSING', `The kubeconfig file ${gone} does not exist.`);
    assert.deepEqual(kubeconfigCandidates({ paths: '~/k.yaml', homeDir: '/home/x' }).files, [path.join('/home/x', 'k.yaml')]);
  });

  test('malformed YAML: ERR_KUBECONFIG_INVALID with file and line', () => {
    const bad = write('bad.yaml', 'apiVersion: v1\nclusters:\n- name: c\n  cluster:\n    server: https://x\n   bad: indent\n');
    rejects(() => loadKubeconfig({ paths: bad }), 'ERR_KUBECONFIG_INVALID', new RegExp(`^The kubeconfig ${escape(bad)}:6:\\d+ is not valid YAML: `));
  });

  test('wrong shapes: top level not a mapping, clusters not a list, entry without a name, several documents', () => {
    const scalar = write('shape/scalar.yaml', 'just a string\n');
    rejects(() => loadKubeconfig({ paths: scalar }), 'ERR_KUBECONFIG_INVALID', `The kubeconfig ${scalar} is not a kubeconfig: its top level is not a mapping.`);
    const notList = write('shape/notlist.yaml', 'clusters: {a: 1}\n');
    rejects(() => loadKubeconfig({ paths: notList }), 'ERR_KUBECONFIG_INVALID', `The kubeconfig ${notList} is invalid: "clusters" must be a list.`);
    const noName = write('shape/noname.yaml', 'contexts:\n- context: {cluster: c, user: u}\n');
    rejects(() => loadKubeconfig({ paths: noName }), 'ERR_KUBECONFIG_INVALID', `The kubeconfig ${noName} is invalid: contexts[0] has no name.`);
    const multi = write('shape/multi.yaml', 'a: 1\n---\nb: 2\n');
    rejects(() => loadKubeconfig({ paths: multi }), 'ERR_KUBECONFIG_INVALID', `The kubeconfig ${multi} holds 2 YAML documents; a kubeconfig is one document.`);
  });

  test('empty config (empty file, or no contexts): ERR_KUBECONFIG_INVALID', () => {
    const empty = write('empty.yaml', '');
    rejects(() => loadKubeconfig({ paths: empty }), 'ERR_KUBECONFIG_INVALID', `The kubeconfig has no contexts (${empty}).`);
    const noCtx = write('noctx.yaml', cfg({ clusters: [['c', 'https://x']] }));
    rejects(() => loadKubeconfig({ paths: noCtx }), 'ERR_KUBECONFIG_INVALID', `The kubeconfig has no contexts (${noCtx}).`);
    // An empty file merged with a real one is fine (kubectl reads it as an empty config).
    const real = write('real.yaml', cfg({ clusters: [['c', 'https://x']], users: [['u', 't']], contexts: [['x', 'c', 'u']], current: 'x' }));
    assert.deepEqual(loadKubeconfig({ paths: [empty, real] }).files, [empty, real]);
  });

  test('current-context naming nothing: reported on the snapshot; resolving it is ERR_CONTEXT_NOT_FOUND', () => {
    const f = write('cc.yaml', cfg({ clusters: [['c', 'https://x']], users: [['u', 't']], contexts: [['real', 'c', 'u']], current: 'ghost' }));
    const loaded = loadKubeconfig({ paths: f }) as LoadedKubeconfig;
    assert.equal(loaded.currentContextProblem, `current-context "ghost" names no context in ${f}; pick another context.`);
    rejects(() => resolveContext(loaded), 'ERR_CONTEXT_NOT_FOUND', `Context "ghost" is not in the kubeconfig (${f}). Known contexts: real.`);
    assert.equal(resolveContext(loaded, 'real').contextName, 'real');
    const none = write('nocc.yaml', cfg({ clusters: [['c', 'https://x']], users: [['u', 't']], contexts: [['real', 'c', 'u']] }));
    const l2 = loadKubeconfig({ paths: none }) as LoadedKubeconfig;
    assert.equal(l2.currentContextProblem, 'The kubeconfig sets no current-context; pick a context.');
    rejects(() => resolveContext(l2), 'ERR_CONTEXT_NOT_FOUND', 'The kubeconfig sets no current-context and no context was chosen.');
  });

  test('a context naming a missing cluster or user: a problem on the context; resolving it is ERR_KUBECONFIG_INVALID', () => {
    const f = write('dangling.yaml', cfg({
      clusters: [['c', 'https://x']],
      users: [['u', 't']],
      contexts: [['noCluster', 'gone', 'u'], ['noUser', 'c', 'nobody'], ['ok', 'c', 'u']],
      current: 'ok',
    }));
    const loaded = loadKubeconfig({ paths: f }) as LoadedKubeconfig;
    assert.deepEqual(loaded.contexts.map((c) => c.problem), [
      'Context "noCluster" names cluster "gone", which is not in the kubeconfig.',
      'Context "noUser" names user "nobody", which is not in the kubeconfig.',
      undefined,
    ]);
    rejects(() => resolveContext(loaded, 'noCluster'), 'ERR_KUBECONFIG_INVALID', 'Context "noCluster" names cluster "gone", which is not in the kubeconfig.');
    rejects(() => resolveContext(loaded, 'noUser'), 'ERR_KUBECONFIG_INVALID', 'Context "noUser" names user "nobody", which is not in the kubeconfig.');
  });

  test('relative file references resolve against the file that defines the entry', () => {
    // kubectl reads the files of the context it uses (a missing one is refused): they exist here.
    write('rel/sub/ca.crt', 'ca');
    write('rel/certs/u.crt', 'cert');
    const absKey = write('abs/u.key', 'key');
    write('rel/sub/tok', 'token');
    const f = write('rel/sub/k.yaml', [
      'clusters:',
      '- name: c',
      '  cluster: {server: "https://x", certificate-authority: ca.crt}',
      'users:',
      '- name: u',
      `  user: {client-certificate: ../certs/u.crt, client-key: ${absKey}, tokenFile: tok, exec: {command: ./bin/plugin, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}}`,
      '- name: v',
      '  user: {exec: {command: kubelogin, apiVersion: client.authentication.k8s.io/v1beta1}}',
      'contexts:',
      '- {name: x, context: {cluster: c, user: u}}',
      '- {name: y, context: {cluster: c, user: v}}',
      'current-context: x',
    ].join('\n'));
    const base = path.dirname(f);
    const loaded = loadKubeconfig({ paths: f }) as LoadedKubeconfig;
    const r = resolveContext(loaded);
    assert.equal(r.cluster['certificate-authority'], path.join(base, 'ca.crt'));
    assert.equal(r.user['client-certificate'], path.join(base, '../certs/u.crt'));
    assert.equal(r.user['client-key'], absKey);
    assert.equal(r.user.tokenFile, path.join(base, 'tok'));
    assert.equal((r.user.exec as { command: string }).command, path.join(base, 'bin/plugin'));
    // A bare command name is looked up in PATH, not resolved.
    assert.equal((resolveContext(loaded, 'y').user.exec as { command: string }).command, 'kubelogin');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
