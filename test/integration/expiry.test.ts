import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, setup, test } from 'mocha';
import * as vscode from 'vscode';
import type { SaTokensApi } from '../../src/api';
import type { StoredTokenMeta } from '../../src/platform/tokenStore';
import type { RenewOutcome } from '../../src/expiry/expiryFeature';
import type { InputAnswer, MessageOptions, MessageSeverity, PickAnswer, Prompter } from '../../src/platform/prompter';
import { readSandboxEnv } from '../harness/sandboxEnv';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { activateApi, admin, holdsFor, requestPrompter, waitFor } from './inspectorHelpers';
import { neverCancelled } from '../fakes/scriptedPrompter';

interface Shown {
  severity: string;
  message: string;
  actions: string[];
}

/** Records the expiry feature's notifications; answers with `answer` when set. */
class RecordingPrompter implements Prompter {
  readonly shown: Shown[] = [];
  readonly statuses: string[] = [];
  answer: ((shown: Shown) => string | undefined) | undefined;
  async message(severity: MessageSeverity, message: string, _options: MessageOptions, actions: readonly string[]): Promise<string | undefined> {
    const shown = { severity, message, actions: [...actions] };
    this.shown.push(shown);
    return this.answer?.(shown);
  }
  status(text: string): void {
    this.statuses.push(text);
  }
  progress<T>(_title: string, task: (token: typeof neverCancelled) => Promise<T>): Promise<T> {
    return task(neverCancelled);
  }
  async pick<T>(): Promise<PickAnswer<T>> {
    return { kind: 'cancel' };
  }
  async input(): Promise<InputAnswer> {
    return { kind: 'cancel' };
  }
}

interface IssueArgs {
  serviceAccount: string;
  audiences?: string[];
  expirationSeconds?: number;
  boundObject?: { kind: 'Pod' | 'Secret' | 'Node'; name: string; uid?: string };
}

async function issue(args: IssueArgs): Promise<StoredTokenMeta> {
  const env = readSandboxEnv();
  const outcome = await vscode.commands.executeCommand<{ status: string; id?: string }>('saTokens.requestToken', {
    context: env.contexts.admin,
    namespace: 'build',
    serviceAccount: args.serviceAccount,
    audiences: args.audiences ?? [],
    expirationSeconds: args.expirationSeconds ?? 3600,
    ...(args.boundObject !== undefined ? { boundObject: args.boundObject } : {}),
  });
  assert.equal(outcome.status, 'issued', JSON.stringify(outcome));
  assert.ok(outcome.id);
  const api = await activateApi();
  const meta = api.tokens.list().find((t) => t.id === outcome.id);
  assert.ok(meta, 'the issued token is stored');
  return meta;
}

async function forgetAll(api: SaTokensApi): Promise<void> {
  for (const meta of api.tokens.list()) {
    await vscode.commands.executeCommand('saTokens.forgetToken', meta.id);
  }
}

async function tokenReview(token: string): Promise<{ authenticated?: boolean; user?: { username?: string; extra?: Record<string, string[]> }; error?: string }> {
  const res = await admin<{ status?: { authenticated?: boolean; user?: { username?: string; extra?: Record<string, string[]> }; error?: string } }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token },
  });
  assert.equal(res.status, 201);
  return res.body.status ?? {};
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

suite('Expiry tracking', function () {
  this.timeout(120_000);
  let api: SaTokensApi;
  const prompter = new RecordingPrompter();

  suiteSetup(async () => {
    api = await activateApi();
    assert.ok(api.requestTokenTesting, 'request-token test hooks (development mode)');
    assert.ok(api.expiry.testing, 'expiry test hooks (development mode)');
    api.requestTokenTesting.setPrompter(requestPrompter);
    api.expiry.testing.setPrompter(prompter);
    await forgetAll(api);
  });

  setup(async () => {
    api.expiry.testing?.setClockOffset(0);
    prompter.shown.length = 0;
    prompter.answer = undefined;
    await forgetAll(api);
  });

  suiteTeardown(async () => {
    api.expiry.testing?.setClockOffset(0);
    api.expiry.testing?.setPrompter(undefined);
    api.requestTokenTesting?.setPrompter(undefined);
    await forgetAll(api);
  });

  test('the status bar item follows the store: hidden, add, second token, forget', async () => {
    await waitFor('hidden with no tokens', () => api.expiry.statusBar.state.visible === false);
    const ciBot = await issue({ serviceAccount: 'ci-bot', expirationSeconds: 3600 });
    let state = await waitFor('visible', () => (api.expiry.statusBar.state.visible ? api.expiry.statusBar.state : undefined));
    assert.match(state.text, /^\$\(key\) ci-bot (59m|1h 00m)$/);
    assert.equal(state.backgroundColorId, undefined);
    assert.equal(state.soonestId, ciBot.id);
    assert.match(state.tooltip, /Tracked service-account tokens \(1\)/);
    assert.match(state.tooltip, /Context `sandbox-admin` · namespace `build`/);

    // A 10-minute token expires sooner and is under the default threshold (the later of 10 min and 20 %).
    const deployer = await issue({ serviceAccount: 'deployer', expirationSeconds: 600 });
    state = await waitFor('deployer first', () => (api.expiry.statusBar.state.soonestId === deployer.id ? api.expiry.statusBar.state : undefined));
    assert.match(state.text, /^\$\(key\) deployer (9|10)m$/);
    assert.equal(state.backgroundColorId, 'statusBarItem.warningBackground');
    assert.equal(state.tokenCount, 2);
    assert.ok(state.tooltip.indexOf('**deployer**') < state.tooltip.indexOf('**ci\\-bot**'), 'tooltip sorted by expiry');

    // The threshold setting applies live.
    await vscode.workspace.getConfiguration('saTokens').update('expiryWarningMinutes', 5, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('ok colours under a 5-minute threshold', () => api.expiry.statusBar.state.backgroundColorId === undefined && api.expiry.statusBar.state.visible);
    } finally {
      await vscode.workspace.getConfiguration('saTokens').update('expiryWarningMinutes', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('default threshold again', () => api.expiry.statusBar.state.backgroundColorId === 'statusBarItem.warningBackground');

    await vscode.commands.executeCommand('saTokens.forgetToken', deployer.id);
    state = await waitFor('back to ci-bot', () => (api.expiry.statusBar.state.soonestId === ciBot.id ? api.expiry.statusBar.state : undefined));
    assert.equal(state.tokenCount, 1);
    await vscode.commands.executeCommand('saTokens.forgetToken', ciBot.id);
    await waitFor('hidden again', () => api.expiry.statusBar.state.visible === false);
    assert.deepEqual(prompter.shown.filter((s) => s.severity === 'warning'), [], 'no expiry warning for a token issued already under the threshold');
  });

  test('a clock jump moves the countdown: warning once, seconds in the last minute, then expired', async () => {
    const meta = await issue({ serviceAccount: 'ci-bot', expirationSeconds: 3600 });
    const testing = api.expiry.testing;
    assert.ok(testing);
    const sinceIssue = Date.now() - meta.issuedAt;
    testing.setClockOffset(50 * 60_000 - sinceIssue + 2_000);
    let state = await waitFor('warning', () => (api.expiry.statusBar.state.level === 'warning' ? api.expiry.statusBar.state : undefined));
    assert.match(state.text, /^\$\(key\) ci-bot (9|10)m$/);
    assert.equal(state.backgroundColorId, 'statusBarItem.warningBackground');
    const warnings = await waitFor('a notification', () => (prompter.shown.length > 0 ? prompter.shown : undefined));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].severity, 'warning');
    assert.match(warnings[0].message, /^The token for ci-bot \(namespace build, context sandbox-admin\) expires in (9|10)m\.$/);
    assert.deepEqual(warnings[0].actions, ['Renew', 'Copy New Token', 'Dismiss']);

    testing.setClockOffset(59 * 60_000 + 30_000 - sinceIssue);
    state = await waitFor('seconds', () => (/s$/.test(api.expiry.statusBar.state.text) ? api.expiry.statusBar.state : undefined));
    assert.match(state.text, /^\$\(key\) ci-bot [1-3]\ds$/);
    const wakeUps = api.expiry.scheduler.wakeUps;
    await waitFor('the countdown ticks by the second', () => api.expiry.scheduler.wakeUps > wakeUps, 5_000);

    testing.setClockOffset(61 * 60_000 - sinceIssue);
    state = await waitFor('expired', () => (api.expiry.statusBar.state.level === 'expired' ? api.expiry.statusBar.state : undefined));
    assert.equal(state.text, '$(key) ci-bot expired');
    assert.equal(state.backgroundColorId, 'statusBarItem.errorBackground');
    assert.equal(api.expiry.scheduler.nextWakeAt, undefined, 'nothing left to wake for');
    assert.equal(prompter.shown.filter((s) => s.severity === 'warning').length, 1, 'warned once per token');
  });

  test('renewal re-issues the same spec: new jti, valid, same audiences and binding, same id', async () => {
    const pod = await admin<{ metadata: { uid: string } }>('GET', '/api/v1/namespaces/build/pods/runner-7');
    assert.equal(pod.status, 200);
    const before = await issue({ serviceAccount: 'ci-bot', audiences: ['vault', 'https://kubernetes.default.svc.cluster.local'], expirationSeconds: 1800, boundObject: { kind: 'Pod', name: 'runner-7' } });
    const outcome = await vscode.commands.executeCommand<RenewOutcome>('saTokens.renewToken', before.id, { copy: true });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const after = api.tokens.list().find((t) => t.id === before.id);
    assert.ok(after, 'same id');
    assert.equal(api.tokens.list().length, 1, 'replaced, not added');
    assert.ok(after.jti && before.jti && after.jti !== before.jti, 'a new credential (jti)');
    assert.ok(after.issuedAt >= before.issuedAt);
    assert.deepEqual(after.audiences, before.audiences);
    assert.equal(after.expiresAt - after.issuedAt, 1800_000, 'same lifetime');
    assert.deepEqual(after.request.boundObject, { kind: 'Pod', name: 'runner-7', uid: pod.body.metadata.uid }, 'bound object pinned to its uid');

    const token = await vscode.env.clipboard.readText();
    const claims = claimsOf(token);
    assert.equal(claims.jti, after.jti);
    assert.deepEqual(claims.aud, ['vault', 'https://kubernetes.default.svc.cluster.local']);
    const k8s = claims['kubernetes.io'] as { pod?: { name: string; uid: string }; serviceaccount?: { name: string } };
    assert.deepEqual(k8s.pod, { name: 'runner-7', uid: pod.body.metadata.uid });
    const review = await tokenReview(token);
    assert.equal(review.authenticated, true, review.error);
    assert.equal(review.user?.username, 'system:serviceaccount:build:ci-bot');
    assert.deepEqual(review.user?.extra?.['authentication.kubernetes.io/pod-name'], ['runner-7']);
    assert.ok(prompter.shown.some((s) => s.severity === 'info' && /^Renewed the token for ci-bot and copied the new token to the clipboard\. It expires in (29|30)m\.$/.test(s.message)));
  });

  test('auto-renew a short token at 80 % of its lifetime, once', async () => {
    const meta = await issue({ serviceAccount: 'deployer', expirationSeconds: 600 });
    const on = await vscode.commands.executeCommand<boolean>('saTokens.toggleAutoRenew', meta.id);
    assert.equal(on, true);
    assert.equal(api.tokens.list().find((t) => t.id === meta.id)?.autoRenew, true);
    const jtiNow = () => api.tokens.list().find((t) => t.id === meta.id)?.jti;
    // Just before 80 %: nothing happens.
    const sinceIssue = Date.now() - meta.issuedAt;
    api.expiry.testing?.setClockOffset(7 * 60_000 + 50_000 - sinceIssue);
    // Proving a negative, so a bounded watch: the jump re-plans at once, and a renewal it wrongly started would land within it.
    await holdsFor('the token not to be renewed before 80 % of its lifetime', () => jtiNow() === meta.jti, 1_500);
    // Past 80 % (480 s): renewed in the background.
    api.expiry.testing?.setClockOffset(8 * 60_000 + 10_000 - sinceIssue);
    const renewed = await waitFor('auto-renewed', () => {
      const now = api.tokens.list().find((t) => t.id === meta.id);
      return now !== undefined && now.jti !== meta.jti ? now : undefined;
    }, 30_000);
    assert.equal(renewed.autoRenew, true, 'auto-renew stays on');
    assert.equal(renewed.serviceAccount, 'deployer');
    // The new token's 80 % is 8 min away on the (shifted) clock: no second renewal.
    // A bounded watch, as above: a second renewal would start as soon as the renewed token is stored.
    await holdsFor('the token to be renewed exactly once', () => jtiNow() === renewed.jti, 2_000);
    const state = api.expiry.statusBar.state;
    assert.match(state.text, /^\$\(key\) deployer (9|10)m$/, 'the countdown restarts from the new token');
    assert.deepEqual(prompter.shown.filter((s) => s.severity !== 'info'), [], 'no warnings or errors');
  });

  test('renewal fails clearly when the bound pod was deleted, and when a namesake replaced it', async () => {
    const name = `expiry-victim-${Date.now().toString(36)}`;
    const podBody = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'build' }, spec: { serviceAccountName: 'ci-bot', containers: [{ name: 'main', image: 'registry.example/app:1.0' }] } };
    const created = await admin('POST', '/api/v1/namespaces/build/pods', podBody);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const meta = await issue({ serviceAccount: 'ci-bot', expirationSeconds: 3600, boundObject: { kind: 'Pod', name } });
    assert.equal((await admin('DELETE', `/api/v1/namespaces/build/pods/${name}`)).status, 200);

    prompter.answer = () => undefined;
    const gone = await vscode.commands.executeCommand<RenewOutcome>('saTokens.renewToken', meta.id);
    assert.equal(gone.ok, false);
    assert.ok(!gone.ok);
    assert.equal(gone.code, 'ERR_NOT_FOUND');
    assert.equal(gone.boundObjectGone, true);
    const shown = await waitFor('an error', () => prompter.shown.find((s) => s.severity === 'error'));
    assert.equal(shown.message, `Cannot renew the token for ci-bot (namespace build, context sandbox-admin): the Pod "${name}" it is bound to no longer exists (or was recreated with a new uid), so the same token cannot be issued again. Request a new token bound to another object.`);
    assert.deepEqual(shown.actions, ['Request New Token']);
    assert.equal(api.tokens.list().find((t) => t.id === meta.id)?.jti, meta.jti, 'the stored token is untouched');

    // A new pod with the same name has a new uid: the pinned uid makes the server refuse (409), not bind silently.
    assert.equal((await admin('POST', '/api/v1/namespaces/build/pods', podBody)).status, 201);
    try {
      prompter.shown.length = 0;
      const namesake = await vscode.commands.executeCommand<RenewOutcome>('saTokens.renewToken', meta.id);
      assert.ok(!namesake.ok);
      assert.equal(namesake.code, 'ERR_CONFLICT');
      assert.equal(namesake.boundObjectGone, true);
    } finally {
      await admin('DELETE', `/api/v1/namespaces/build/pods/${name}`);
    }
  });
  test('an explicit Renew on a context that now points at another server asks first, naming both, and declining mints nothing', async () => {
    const env = readSandboxEnv();
    const meta = await issue({ serviceAccount: 'ci-bot', expirationSeconds: 3600 });
    assert.equal(meta.server, env.url);
    // The same context name, recreated on another cluster (as kind-dev or minikube are).
    const config = JSON.parse(readFileSync(env.kubeconfigPath, 'utf8')) as {
      clusters: { name: string; cluster: { server: string } }[];
      contexts: { name: string; context: { cluster: string } }[];
    };
    const other = config.clusters.find((c) => c.cluster.server !== env.url);
    assert.ok(other, 'the sandbox kubeconfig has a cluster on another server');
    const moved = { ...config, 'current-context': env.contexts.admin, contexts: config.contexts.map((c) => (c.name === env.contexts.admin ? { ...c, context: { ...c.context, cluster: other.name } } : c)) };
    const dir = makeTempDir('expiry-kubeconfig');
    const file = join(dir, 'moved.json');
    writeFileSync(file, JSON.stringify(moved, null, 2));
    const rootServer = async () => {
      const nodes = await api.explorer.getChildren();
      return nodes[0] === undefined ? undefined : api.explorer.getTreeItem(nodes[0]).description;
    };
    try {
      await vscode.workspace.getConfiguration('saTokens').update('kubeconfig', file, vscode.ConfigurationTarget.Global);
      await waitFor('the session on the moved context', async () => ((await rootServer()) === other.cluster.server ? true : undefined));
      prompter.answer = () => undefined; // the modal's Cancel
      const outcome = await vscode.commands.executeCommand<RenewOutcome>('saTokens.renewToken', meta.id);
      assert.ok(!outcome.ok, JSON.stringify(outcome));
      assert.equal(outcome.reason, 'cluster-changed');
      const modal = prompter.shown.find((s) => s.severity === 'warning');
      assert.ok(modal, JSON.stringify(prompter.shown));
      assert.equal(modal.message, `Context "${env.contexts.admin}" now points at ${other.cluster.server}, but this token was issued by ${env.url}. Renew against ${other.cluster.server}?`);
      assert.deepEqual(modal.actions, ['Renew Against New Server']);
      const after = api.tokens.list().find((t) => t.id === meta.id);
      assert.equal(after?.jti, meta.jti, 'the stored token is untouched');
      assert.equal(after?.server, env.url);
    } finally {
      await vscode.workspace.getConfiguration('saTokens').update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the session back on the sandbox', async () => ((await rootServer()) === env.url ? true : undefined));
      removeTempDir(dir);
    }
  });
});
