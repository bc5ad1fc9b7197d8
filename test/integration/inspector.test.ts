import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { load } from 'js-yaml';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { SaTokensApi } from '../../src/api';
import { readKubectlEnv, readSandboxEnv } from '../harness/sandboxEnv';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { holdsFor } from '../harness/waitFor';
import { activateApi, admin, closeAllPanels, decode, mintToken, panel, sandboxInfo, waitFor } from './inspectorHelpers';
import { filesUnder } from './requestTokenHelpers';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The user-data folder above the extension host's logs folder (`<user-data>/logs/<stamp>/…`). */
function userDataDir(logsDir: string): string {
  for (let dir = logsDir; dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'logs') {
      return dirname(dir);
    }
  }
  throw new Error(`no logs folder above ${logsDir}`);
}

/** Whether a regular file (not a socket or a file removed meanwhile) contains `text`. */
function holdsText(file: string, text: string): boolean {
  try {
    return statSync(file).isFile() && readFileSync(file, 'latin1').includes(text);
  } catch {
    return false;
  }
}

function parts(token: string): [string, string, string] {
  const [h, p, s] = token.split('.');
  return [h!, p!, s!];
}

suite('Token Inspector', function () {
  this.timeout(60_000);
  let api: SaTokensApi;
  let token: string;

  suiteSetup(async () => {
    api = await activateApi();
    token = await mintToken('build', 'ci-bot', { expirationSeconds: 3600 });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('saTokens.switchContext', readSandboxEnv().contexts.admin);
    await closeAllPanels(api);
  });

  test('decodes a cluster token and verifies it against the cluster keys (key id shown)', async () => {
    const { signingKid } = await sandboxInfo();
    const state = await decode(api, { token });
    assert.equal(state.verification?.state, 'verified', state.verification?.detail);
    assert.equal(state.verification?.kid, signingKid);
    assert.equal(state.view?.title, 'Token: build/ci-bot');
    assert.equal(state.view?.identity.serviceAccount, 'ci-bot');
    assert.ok(state.view?.claims.some((r) => r.claim === 'jti' && /audit logs/.test(r.explanation)));
    assert.ok(state.view?.claims.find((r) => r.claim === 'exp')?.time?.utc.endsWith(' UTC'));
  });

  test('the HTML has a strict CSP with a fresh crypto nonce, and never the token', async () => {
    const key = await vscode.commands.executeCommand<string>('saTokens.decodeToken', { token });
    const first = panel(api, key)!.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(first)?.[1];
    assert.ok(csp, 'CSP meta present');
    const m = /^default-src 'none'; style-src ([^;]+); img-src ([^;]+); script-src 'nonce-[A-Za-z0-9+/]{22}==';$/.exec(csp);
    assert.ok(m, csp);
    assert.equal(m[1], m[2], 'styles and images both from the webview cspSource');
    assert.ok(!/unsafe|connect-src/.test(csp));
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    assert.ok(first.includes(`<script nonce="${nonce}" src=`));
    for (const piece of parts(token)) {
      assert.ok(!first.includes(piece.slice(0, 40)), 'no token part in the HTML');
    }
    assert.ok(!JSON.stringify(panel(api, key)!.view).includes(parts(token)[2]), 'no signature in the view model');
    // A new render gets a new nonce.
    await vscode.commands.executeCommand('saTokens.decodeToken', { token });
    const again = /'nonce-([^']+)'/.exec(panel(api, key)!.html)![1];
    assert.notEqual(again, nonce);
    // And the page really loads: it says ready and gets the view.
    await waitFor('page ready', () => panel(api, key)?.ready || undefined, 30_000);
    assert.ok(panel(api, key)!.posted.includes('render'));
  });

  test('one panel per token; another token opens another panel; closing disposes them', async () => {
    await closeAllPanels(api);
    const a = await decode(api, { token });
    await decode(api, { text: `Bearer ${token}\n` });
    assert.equal(api.inspector.panels().length, 1, 'the same token (with a Bearer prefix) reuses its panel');
    const other = await mintToken('build', 'deployer');
    const b = await decode(api, { token: other });
    assert.notEqual(a.key, b.key);
    assert.equal(api.inspector.panels().length, 2);
    // Their tabs tell them apart: subject and expiry.
    assert.match(panel(api, a.key)!.title, /^Token: build\/ci-bot · expires (\w{3} \d{1,2}, )?\d{2}:\d{2}$/);
    assert.match(panel(api, b.key)!.title, /^Token: build\/deployer · expires (\w{3} \d{1,2}, )?\d{2}:\d{2}$/);
    await closeAllPanels(api);
    assert.equal(api.inspector.panels().length, 0);
  });

  test('a forged signature is reported as invalid', async () => {
    const other = await mintToken('build', 'deployer');
    const [h, p] = parts(token);
    const forged = `${h}.${p}.${parts(other)[2]}`;
    const state = await decode(api, { token: forged });
    assert.equal(state.verification?.state, 'invalid-signature');
    // Changing a claim breaks the signature too.
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = `${h}.${b64url({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })}.${parts(token)[2]}`;
    assert.equal((await decode(api, { token: tampered })).verification?.state, 'invalid-signature');
  });

  test('alg none is never accepted', async () => {
    const [, p] = parts(token);
    const state = await decode(api, { token: `${b64url({ alg: 'none' })}.${p}.` });
    assert.equal(state.verification?.state, 'unsupported-algorithm');
    assert.match(state.verification!.detail, /unsigned/);
    assert.ok(state.view?.notes.some((n) => /no signature/.test(n)));
    const hs = await decode(api, { token: `${b64url({ alg: 'HS256', kid: parts(token)[0] })}.${p}.${parts(token)[2]}` });
    assert.equal(hs.verification?.state, 'unsupported-algorithm');
  });

  test('a JWT that is not from Kubernetes decodes, labelled as such', async () => {
    const state = await decode(api, { token: `${b64url({ alg: 'RS256' })}.${b64url({ sub: 'alice', iss: 'https://idp.example' })}.c2ln` });
    assert.equal(state.verification?.state, 'not-kubernetes');
    assert.equal(state.view?.identity.kind, 'not-kubernetes');
  });

  test('JWKS forbidden for the limited user: cannot fetch keys, 403 explained', async () => {
    const env = readSandboxEnv();
    await vscode.commands.executeCommand('saTokens.switchContext', env.contexts.limited);
    try {
      const limitedToken = await mintToken('build', 'builder');
      const state = await decode(api, { token: limitedToken });
      assert.equal(state.verification?.state, 'cannot-fetch');
      assert.match(state.verification!.detail, /403.*system:service-account-issuer-discovery/);
    } finally {
      await vscode.commands.executeCommand('saTokens.switchContext', env.contexts.admin);
    }
  });

  test('server checks: TokenReview, Who am I, What can it do', async () => {
    const state = await decode(api, { token });
    await api.inspector.dispatch!(state.key, { type: 'check', requestId: 1, check: 'tokenReview' });
    await api.inspector.dispatch!(state.key, { type: 'check', requestId: 2, check: 'whoami' });
    await api.inspector.dispatch!(state.key, { type: 'check', requestId: 3, check: 'rules', namespace: 'build' });
    const after = panel(api, state.key)!;
    assert.deepEqual(after.checkFailures, []);
    const review = after.checks.find((c) => c.check === 'tokenReview')!;
    assert.equal(review.status, 'ok');
    assert.equal(review.summary, 'Authenticated as system:serviceaccount:build:ci-bot');
    assert.ok(review.details.some(([k, v]) => k === 'Groups' && v.includes('system:serviceaccounts:build')));
    const whoami = after.checks.find((c) => c.check === 'whoami')!;
    assert.equal(whoami.summary, 'The token authenticates as system:serviceaccount:build:ci-bot');
    const rules = after.checks.find((c) => c.check === 'rules')!;
    assert.match(rules.summary, /in namespace build$/);
    assert.ok(rules.table!.rows.some((r) => r[0]!.includes('selfsubjectreviews') || r[0]!.includes('selfsubjectrulesreviews')), JSON.stringify(rules.table!.rows));
    assert.equal(after.posted.filter((t) => t === 'checkResult').length, 3);
  });

  test('TokenReview explains an audience mismatch', async () => {
    const vaultToken = await mintToken('build', 'ci-bot', { audiences: ['vault'] });
    const state = await decode(api, { token: vaultToken });
    await api.inspector.dispatch!(state.key, { type: 'check', requestId: 1, check: 'tokenReview' });
    const review = panel(api, state.key)!.checks.find((c) => c.check === 'tokenReview')!;
    assert.equal(review.status, 'bad');
    assert.match(review.explanation!, /audiences \(vault\) do not include/);
  });

  test('bound object deletion is detected', async () => {
    const name = `inspector-${Date.now().toString(36)}`;
    const created = await admin<{ metadata: { uid: string } }>('POST', '/api/v1/namespaces/build/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { serviceAccountName: 'ci-bot', containers: [{ name: 'main', image: 'registry.example/app:1.0' }] },
    });
    assert.equal(created.status, 201);
    const bound = await mintToken('build', 'ci-bot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name, uid: created.body.metadata.uid } });
    const state = await decode(api, { token: bound });
    assert.equal(state.view?.identity.binding?.name, name);
    await api.inspector.dispatch!(state.key, { type: 'check', requestId: 1, check: 'boundObject' });
    assert.equal(panel(api, state.key)!.checks.find((c) => c.check === 'boundObject')?.status, 'ok');
    assert.equal((await admin('DELETE', `/api/v1/namespaces/build/pods/${name}`)).status, 200);
    await api.inspector.dispatch!(state.key, { type: 'check', requestId: 2, check: 'boundObject' });
    const gone = panel(api, state.key)!.checks.find((c) => c.check === 'boundObject')!;
    assert.equal(gone.status, 'bad');
    assert.match(gone.summary, new RegExp(`Pod build/${name} no longer exists`));
    await api.inspector.dispatch!(state.key, { type: 'check', requestId: 3, check: 'tokenReview' });
    assert.equal(panel(api, state.key)!.checks.find((c) => c.check === 'tokenReview')?.status, 'bad');
  });

  test('reveal sends the token only on request', async () => {
    const state = await decode(api, { token });
    assert.equal(state.revealed, false);
    assert.ok(!state.posted.includes('revealed'));
    await api.inspector.dispatch!(state.key, { type: 'reveal' });
    assert.equal(panel(api, state.key)!.revealed, true);
    // Malformed page messages are dropped, not crashed on.
    await api.inspector.dispatch!(state.key, { type: 'copy', format: 'ssh-key' });
    await api.inspector.dispatch!(state.key, 'reveal');
    assert.equal(panel(api, state.key)!.lastCopy, undefined);
  });

  test('Copy as: raw token, header, export, curl, kubectl go to the clipboard', async () => {
    const state = await decode(api, { token });
    const copy = async (format: string) => {
      await vscode.env.clipboard.writeText('');
      await api.inspector.dispatch!(state.key, { type: 'copy', format });
      assert.equal(panel(api, state.key)!.lastCopy?.ok, true, panel(api, state.key)!.lastCopy?.message);
      return vscode.env.clipboard.readText();
    };
    assert.equal(await copy('token'), token);
    assert.equal(await copy('header'), `Authorization: Bearer ${token}`);
    assert.equal(await copy('export'), `export TOKEN=${token}`);
    const { url } = readSandboxEnv();
    const curl = await copy('curl');
    assert.ok(curl.includes(`'Authorization: Bearer ${token}'`));
    assert.ok(curl.includes(`${url.replace(/\/$/, '')}/apis/authentication.k8s.io/v1/selfsubjectreviews`), curl);
    assert.match(curl, /--cacert /);
    assert.ok(!/ -k /.test(curl), 'never -k for a cluster with a CA');
    const kubectl = await copy('kubectl');
    assert.match(kubectl, /kubectl --server=\S+ --certificate-authority=\S+ --token=\S+ auth whoami$/m);
    assert.ok(kubectl.includes(`--token=${token}`));
  });

  test('Copy as kubeconfig saves a 0600 file the user picks, never an untitled document; cancelling writes nothing', async () => {
    const state = await decode(api, { token });
    const dir = makeTempDir('inspector-kubeconfig');
    const file = join(dir, 'exported.kubeconfig');
    const asked: vscode.SaveDialogOptions[] = [];
    api.inspector.setSaveDialog!(async (options) => {
      asked.push(options);
      return vscode.Uri.file(file);
    });
    try {
      await api.inspector.dispatch!(state.key, { type: 'copy', format: 'kubeconfig' });
      const copy = panel(api, state.key)!.lastCopy!;
      assert.equal(copy.ok, true, copy.message);
      assert.deepEqual(vscode.workspace.textDocuments.filter((d) => d.getText().includes(token)).map((d) => d.uri.toString()), [], 'no document holds the token');
      assert.equal(asked.length, 1, 'the user is asked where to save');
      assert.ok(copy.notes.some((n) => n.includes(file)), `the page says where the token went: ${copy.notes.join(' ')}`);
      assert.equal((statSync(file).mode & 0o777).toString(8), '600');
      // Hot exit backed an untitled document up 1 to 3 s after it opened (measured here): wait twice that.
      const userData = userDataDir(api.requestTokenTesting!.logsDir);
      await holdsFor('no file in VS Code\'s user data (Backups included) to hold the token', () => !filesUnder(userData).some((f) => holdsText(f, token)), 6000);

      const config = load(readFileSync(file, 'utf8')) as { kind: string; 'current-context': string; contexts: { name: string; context: { user: string } }[]; users: { name: string; user: { token: string } }[] };
      assert.equal(config.kind, 'Config');
      const current = config.contexts.find((c) => c.name === config['current-context']);
      assert.equal(config.users.find((u) => u.name === current?.context.user)?.user.token, token);

      api.inspector.setSaveDialog!(async () => undefined);
      await api.inspector.dispatch!(state.key, { type: 'copy', format: 'kubeconfig' });
      const cancelled = panel(api, state.key)!.lastCopy!;
      assert.equal(cancelled.ok, false);
      assert.equal(cancelled.cancelled, true);
      assert.deepEqual(readdirSync(dir), ['exported.kubeconfig'], 'cancelling writes nothing');
      assert.deepEqual(vscode.workspace.textDocuments.filter((d) => d.getText().includes(token)).map((d) => d.uri.toString()), []);

      // kubectl can use the saved file as it is.
      const out = await new Promise<string>((resolve, reject) => {
        execFile(readKubectlEnv(), ['--kubeconfig', file, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { timeout: 20_000, env: { PATH: process.env.PATH ?? '', HOME: dir } }, (err, stdout, stderr) => {
          if (err) {
            reject(new Error(`${err.message}\n${stderr}`));
          } else {
            resolve(stdout);
          }
        });
      });
      assert.equal(out.trim(), 'system:serviceaccount:build:ci-bot');
    } finally {
      api.inspector.setSaveDialog!(undefined);
      removeTempDir(dir);
    }
  });

  test('malformed input gets a clear message in the panel, never a crash', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ text: 'not-a-token' }, /expected three base64url parts/],
      [{ text: 'a.b.c.d.e' }, /encrypted token \(JWE/],
      [{ text: 'eyJ!!.eyJ.c2ln' }, /not valid base64url/],
      [{ text: `${Buffer.from('not json').toString('base64url')}.${b64url({})}.c2ln` }, /header \(part 1\) is not JSON/],
      [{ text: 'x'.repeat(1024 * 1024) }, /1\.0 MB.*at most 64 KiB/],
    ];
    for (const [arg, message] of cases) {
      const state = await decode(api, arg);
      assert.equal(state.key, 'invalid');
      assert.match(state.invalid!.message, message);
    }
    await vscode.env.clipboard.writeText('');
    const empty = await decode(api, { source: 'clipboard' });
    assert.equal(empty.invalid?.title, 'Nothing to decode in the clipboard');
    // A good token afterwards replaces the error panel.
    await decode(api, { token });
    assert.equal(panel(api, 'invalid'), undefined);
  });

  /** The shared kubeconfig session has reloaded after a settings change once the explorer's root reports `state`. */
  const kubeconfigState = (state: 'missing' | 'ready') =>
    waitFor(`the extension to reload the kubeconfig (state "${state}")`, async () => {
      await api.explorer.getChildren();
      return api.explorer.view.kubeconfigState === state;
    }, 20_000, { lastSeen: () => `state "${api.explorer.view.kubeconfigState ?? '(none)'}"` });

  test('works with no cluster at all', async () => {
    await vscode.workspace.getConfiguration('saTokens').update('kubeconfig', '/nonexistent/kubeconfig', vscode.ConfigurationTarget.Global);
    try {
      await kubeconfigState('missing');
      const foreign = `${b64url({ alg: 'RS256', kid: 'k' })}.${parts(token)[1]}.${parts(token)[2]}`;
      const state = await decode(api, { token: foreign });
      assert.equal(state.verification?.state, 'no-cluster', state.verification?.detail);
      assert.equal(state.view?.identity.namespace, 'build');
    } finally {
      await vscode.workspace.getConfiguration('saTokens').update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      await kubeconfigState('ready');
    }
  });

  // Last: dropping the old signing key invalidates every token minted before.
  test('rotated keys: a new kid is fetched again; a dropped key is "not found (rotated?)"', async () => {
    const before = await decode(api, { token });
    assert.equal(before.verification?.state, 'verified');
    const rotated = await admin<{ signingKid: string }>('POST', '/sandbox/v1/rotate-keys');
    assert.equal(rotated.status, 200);
    const fresh = await mintToken('build', 'ci-bot');
    const freshState = await decode(api, { token: fresh });
    assert.equal(freshState.verification?.state, 'verified', 'the cached JWKS was refetched for the unknown kid');
    assert.equal(freshState.verification?.kid, rotated.body.signingKid);
    assert.equal((await admin('POST', '/sandbox/v1/rotate-keys?dropOld=true')).status, 200);
    // The client still has the key cached; "Verify again" asks for fresh keys.
    const key = (await decode(api, { token: fresh })).key;
    await api.inspector.dispatch!(key, { type: 'verify' });
    const old = panel(api, key)!;
    assert.equal(old.verification?.state, 'key-not-found', old.verification?.detail);
    assert.match(old.verification!.title, /rotated\?/);
  });
});
