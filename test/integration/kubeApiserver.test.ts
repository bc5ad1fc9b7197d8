// The extension's cluster flows in the real VS Code host against the real control plane
// (kube-apiserver built from the official modules), switched to with one setting: saTokens.kubeconfig.
import * as assert from 'node:assert/strict';
import { load } from 'js-yaml';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { SaTokensApi } from '../../src/api';
import type { RenewOutcome } from '../../src/expiry/expiryFeature';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import type { AccountNode, LoadMoreNode } from '../../src/explorer/accountNodes';
import type { ExplorerApi } from '../../src/explorer/explorerApi';
import { readKubeApiserverEnv, type SandboxInfo } from '../harness/sandboxEnv';
import { child, explorerApi, labels, rows, setSetting } from './explorerHelpers';
import { adminRequest, sandbox, waitFor } from './hostTestUtils';
import { activateApi, closeAllPanels, decode } from './inspectorHelpers';
import { acceptPicked, pick, requestWith, ScriptedPrompter } from './requestTokenHelpers';

suite('Real control plane (kube-apiserver): explorer, Request Token, inspector', function () {
  this.timeout(90_000);
  let kube: SandboxInfo;
  let explorer: ExplorerApi;
  let api: SaTokensApi;
  const admin = (method: string, path: string, body?: unknown) => adminRequest(method, path, body, kube);

  const root = async (context: string): Promise<AccountNode> =>
    waitFor(`the ${context} context row of the real server`, async () => {
      const [first] = await explorer.getChildren();
      return first?.kind === 'context' && explorer.getTreeItem(first).label === context && explorer.getTreeItem(first).description === kube.url ? first : undefined;
    }, 30_000);

  const mint = async (namespace: string, name: string, spec: Record<string, unknown> = {}): Promise<string> => {
    const r = await admin('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, { spec });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (r.body as { status: { token: string } }).status.token;
  };

  const check = async (key: string, name: 'tokenReview' | 'whoami' | 'rules' | 'boundObject', requestId: number, namespace?: string) => {
    await api.inspector.dispatch!(key, { type: 'check', requestId, check: name, ...(namespace ? { namespace } : {}) });
    return api.inspector.panels().find((p) => p.key === key)!.checks.find((c) => c.check === name)!;
  };

  const secretToken = async (namespace: string, name: string): Promise<string> => {
    const secret = (await admin('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`)).body as { data: { token: string } };
    return Buffer.from(secret.data.token, 'base64').toString();
  };

  suiteSetup(async () => {
    kube = readKubeApiserverEnv();
    explorer = await explorerApi();
    api = await activateApi();
    await setSetting('kubeconfig', kube.kubeconfigPath);
    await vscode.commands.executeCommand('saTokens.switchContext', kube.contexts.admin);
  });

  suiteTeardown(async () => {
    await closeAllPanels(api);
    await setSetting('kubeconfig', undefined);
    await setSetting('pageSize', undefined);
    await vscode.commands.executeCommand('saTokens.switchContext', sandbox().contexts.admin);
  });

  test('the tree lists the real server\'s namespaces, service accounts, workload identities and legacy tokens', async () => {
    const ctx = await root(kube.contexts.admin);
    const namespaces = await rows(explorer, ctx);
    for (const ns of ['build', 'default', 'kube-system', 'payments', 'web']) {
      assert.ok(namespaces.some((r) => r.item.label === ns), `namespace ${ns}`);
    }
    assert.equal(namespaces.find((r) => r.item.label === 'decommissioned')?.item.description, 'Terminating');
    const build = await child(explorer, ctx, 'build');
    assert.deepEqual(await labels(explorer, build), ['builder', 'ci-bot', 'default', 'deployer']);
    const ciBot = (await rows(explorer, build)).find((r) => r.item.label === 'ci-bot')!;
    assert.equal(ciBot.item.description, 'AWS: ci-bot');
    const legacy = (await rows(explorer, ciBot.node)).filter((r) => r.node.kind === 'legacyToken');
    assert.deepEqual(legacy.map((r) => r.item.label), ['ci-bot-token']);
    assert.match(legacy[0]!.item.description ?? '', /^long-lived secret token · last used \d{4}-\d\d-\d\d$/);
  });

  test('Access: who can get ci-bot\'s credentials, confirmed by the real API server, down to the binding\'s YAML', async () => {
    const ctx = await root(kube.contexts.admin);
    const build = await child(explorer, ctx, 'build');
    const ciBot = await child(explorer, build, 'ci-bot');
    const access = (await rows(explorer, ciBot)).find((r) => r.node.kind === 'access');
    assert.ok(access, 'the service account has an Access node');
    assert.equal(access.item.label, 'Access');
    const ways = await rows(explorer, access.node);
    assert.equal(ways[0]!.item.label, 'Confirmed by the API server');
    assert.deepEqual(ways.slice(1).map((r) => r.item.label), ['Mint tokens', 'Run workloads as it', 'Impersonate it', 'Read its legacy tokens', 'Escalate (second-order)']);
    // cluster-admin is bound to system:masters by the bootstrap policy: every way is open to it.
    const mintRow = ways.find((r) => r.item.label === 'Mint tokens')!;
    const subjects = await rows(explorer, mintRow.node);
    const masters = subjects.find((r) => r.item.label === 'Group system:masters');
    assert.ok(masters, `subjects: ${subjects.map((r) => r.item.label).join(', ')}`);
    assert.match(String(masters.item.description), /^confirmed by the API server · ClusterRoleBinding cluster-admin → ClusterRole cluster-admin/);
    await vscode.commands.executeCommand('saTokens.showRbacObjectYaml', masters.node);
    const doc = await waitFor('the binding YAML document', async () => vscode.window.activeTextEditor?.document.uri.path.includes('/rbac/ClusterRoleBinding/') ? vscode.window.activeTextEditor.document : undefined);
    assert.match(doc.getText(), /^# ClusterRoleBinding cluster-admin in context /);
    assert.match(doc.getText(), /\nkind: ClusterRoleBinding\n/);
    const binding = load(doc.getText()) as { subjects: { kind: string; name: string }[]; roleRef: { name: string } };
    assert.ok(binding.subjects.some((subject) => subject.kind === 'Group' && subject.name === 'system:masters'), doc.getText());
    assert.equal(binding.roleRef.name, 'cluster-admin');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // The same answer as a Markdown table and as JSON, for a security review.
    await vscode.commands.executeCommand('saTokens.copyAccessReport', ciBot, 'json');
    const json = JSON.parse(await vscode.env.clipboard.readText()) as { account: { username: string }; confirmation: { basis: string } };
    assert.equal(json.account.username, 'system:serviceaccount:build:ci-bot');
    assert.equal(json.confirmation.basis, 'server');
    await vscode.commands.executeCommand('saTokens.copyAccessReport', ciBot, 'markdown');
    assert.match(await vscode.env.clipboard.readText(), /^# Who can get the credentials of service account build\/ci-bot\n/);
  });

  test('pages over the real server\'s continue tokens with Load more', async () => {
    await setSetting('pageSize', 2);
    const ctx = await root(kube.contexts.admin);
    const build = await child(explorer, ctx, 'build');
    const page = await waitFor('a first page of two', async () => {
      const r = await rows(explorer, build);
      return r.filter((x) => x.node.kind === 'serviceAccount').length === 2 ? r : undefined;
    });
    const more = page.find((r) => r.node.kind === 'loadMore');
    assert.ok(more, page.map((r) => r.item.label).join(', '));
    assert.equal(more.item.description, '2 loaded, about 2 more');
    await vscode.commands.executeCommand('saTokens.loadMore', more.node as LoadMoreNode);
    assert.deepEqual((await rows(explorer, build)).filter((r) => r.node.kind === 'serviceAccount').map((r) => r.item.label), ['builder', 'ci-bot', 'default', 'deployer']);
    await setSetting('pageSize', undefined);
  });

  test('Request Token mints on the real server (Pod binding) and the inspector verifies it against the real JWKS', async () => {
    const prompter = new ScriptedPrompter({
      namespace: pick('build'),
      serviceAccount: pick('ci-bot'),
      audiences: acceptPicked(),
      lifetime: pick('1 hour'),
      bindKind: pick('Pod'),
      bindObject: pick('runner-7'),
      review: pick('Request token'),
    });
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: kube.contexts.admin });
    assert.deepEqual(prompter.unexpected, []);
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
    const stored = api.tokens.list().find((t) => t.id === outcome.id);
    assert.equal(stored?.server, kube.url);
    const key = await vscode.commands.executeCommand<string>('saTokens.inspectToken', outcome.id);
    await api.inspector.settled(key);
    const state = api.inspector.panels().find((p) => p.key === key)!;
    // Verification needs the JWKS, which kube-apiserver serves only as application/jwk-set+json.
    assert.equal(state.verification?.state, 'verified', state.verification?.detail);
    assert.equal(state.view?.identity.serviceAccount, 'ci-bot');
  });

  test('Request Token binds to a Secret and to a Node on the real server; Renew re-issues with a new jti', async () => {
    for (const [kind, object] of [['Secret', 'vault-config'], ['Node', 'worker-1']] as const) {
      const prompter = new ScriptedPrompter({ audiences: acceptPicked(), lifetime: pick('1 hour'), bindKind: pick(kind), bindObject: pick(object), review: pick('Request token') });
      const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: kube.contexts.admin, namespace: 'build', serviceAccount: 'ci-bot' });
      assert.equal(outcome.status, 'issued', `${kind}: ${JSON.stringify(prompter.messages)}`);
      const stored = api.tokens.list().find((t) => t.id === outcome.id)!;
      assert.equal(stored.request.boundObject?.kind, kind);
      assert.equal(stored.request.boundObject?.name, object);
      if (kind === 'Node') {
        const renewed = await vscode.commands.executeCommand<RenewOutcome>('saTokens.renewToken', outcome.id);
        assert.equal(renewed.ok, true, JSON.stringify(renewed));
        const after = api.tokens.list().find((t) => t.id === outcome.id)!;
        assert.ok(after.jti !== undefined && after.jti !== stored.jti, 'a new credential');
        assert.equal(after.request.boundObject?.kind, 'Node');
      }
    }
  });

  test('the server\'s lifetime cap (24 h here): a 7-day request is shortened, with the server\'s warning', async () => {
    const prompter = new ScriptedPrompter({ audiences: acceptPicked(), lifetime: pick('7 days'), bindKind: pick('None'), review: pick('Request token') });
    const outcome = await requestWith<RequestTokenOutcome>(prompter, { context: kube.contexts.admin, namespace: 'web', serviceAccount: 'frontend' });
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
    const stored = api.tokens.list().find((t) => t.id === outcome.id)!;
    assert.equal(stored.expiresAt - stored.issuedAt, 86_400_000);
    const told = prompter.messages.find((m) => /Token issued for web\/frontend/.test(m.text));
    assert.equal(told?.severity, 'warning');
    assert.match(told!.text, /Server warning: requested expiration of 604800 seconds shortened to 86400 seconds\./);
  });

  test('server checks on the real server: TokenReview, Who am I, What can it do', async () => {
    const state = await decode(api, { token: await mint('build', 'ci-bot') });
    const review = await check(state.key, 'tokenReview', 1);
    assert.equal(review.status, 'ok');
    assert.equal(review.summary, 'Authenticated as system:serviceaccount:build:ci-bot');
    assert.equal((await check(state.key, 'whoami', 2)).summary, 'The token authenticates as system:serviceaccount:build:ci-bot');
    const rules = await check(state.key, 'rules', 3, 'build');
    assert.match(rules.summary, /in namespace build$/);
    // The RoleBinding ci-bot-build grants get and list on pods and service accounts in build.
    assert.ok(rules.table!.rows.some((r) => r.join(' ').includes('pods') && r.join(' ').includes('list')), JSON.stringify(rules.table!.rows));
  });

  test('a deleted bound Pod: the check sees it gone at once, TokenReview once the 10 s cache expires', async () => {
    const name = `it-${Date.now().toString(36)}`;
    const created = await admin('POST', '/api/v1/namespaces/build/pods', { metadata: { name }, spec: { serviceAccountName: 'ci-bot', nodeName: 'worker-2', containers: [{ name: 'main', image: 'registry.example/app:1.0' }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const state = await decode(api, { token: await mint('build', 'ci-bot', { boundObjectRef: { kind: 'Pod', name } }) });
    assert.equal((await check(state.key, 'boundObject', 1)).status, 'ok');
    assert.equal((await check(state.key, 'tokenReview', 2)).status, 'ok');
    // No kubelet confirms a graceful delete here: delete at once, as one would.
    assert.equal((await admin('DELETE', `/api/v1/namespaces/build/pods/${name}?gracePeriodSeconds=0`)).status, 200);
    const gone = await check(state.key, 'boundObject', 3);
    assert.equal(gone.status, 'bad');
    assert.match(gone.summary, new RegExp(`Pod build/${name} no longer exists`));
    let requestId = 4;
    await waitFor('TokenReview to refuse the token', async () => ((await check(state.key, 'tokenReview', requestId++)).status === 'bad' ? true : undefined), 25_000);
  });

  test('a legacy Secret token from the real server is verified as the cluster\'s, and named legacy', async () => {
    const state = await decode(api, { token: await secretToken('build', 'deployer-token-legacy') });
    assert.equal(state.verification?.state, 'verified', state.verification?.detail);
    assert.match(state.verification?.detail ?? '', /legacy Secret-based token \(issuer "kubernetes\/serviceaccount"\)/);
    // A server check is a use: the real server stamps the Secret, and the inspector says so.
    const whoami = await check(state.key, 'whoami', 1);
    assert.equal(whoami.summary, 'The token authenticates as system:serviceaccount:build:deployer');
    assert.match(whoami.explanation ?? '', /set the Secret build\/deployer-token-legacy's kubernetes\.io\/legacy-token-last-used label to today/);
    const secret = (await admin('GET', '/api/v1/namespaces/build/secrets/deployer-token-legacy')).body as { metadata: { labels?: Record<string, string> } };
    assert.equal(secret.metadata.labels?.['kubernetes.io/legacy-token-last-used'], new Date().toISOString().slice(0, 10));
    // An auto-generated one (listed in the SA's secrets) draws the server's deprecation warning, shown as such.
    const auto = await decode(api, { token: await secretToken('build', 'ci-bot-token') });
    const warned = await check(auto.key, 'whoami', 1);
    assert.equal(warned.status, 'warn');
    assert.ok(warned.details.some(([k, v]) => k === 'Server warning' && v === 'Use tokens from the TokenRequest API or manually created secret-based tokens instead of auto-generated secret-based tokens.'), JSON.stringify(warned.details));
  });

  test('the limited user (RBAC: no namespace listing) falls back to its context namespace on the real server', async () => {
    await vscode.commands.executeCommand('saTokens.switchContext', kube.contexts.limited);
    const ctx = await root(kube.contexts.limited);
    const names = await waitFor('the fallback namespace', async () => {
      const l = await labels(explorer, ctx);
      return l.includes('build') ? l : undefined;
    });
    assert.ok(!names.includes('payments'), `only what jane may see: ${names.join(', ')}`);
    const build = await child(explorer, ctx, 'build');
    assert.ok((await labels(explorer, build)).includes('ci-bot'));
    // jane may not list RBAC: the Access node says so, naming the permission, instead of guessing.
    const ciBot = await child(explorer, build, 'ci-bot');
    const access = (await rows(explorer, ciBot)).find((r) => r.node.kind === 'access')!;
    const [unknown] = await rows(explorer, access.node);
    assert.equal(unknown?.item.label, 'Unknown: you may not list RBAC');
    assert.match(String(unknown?.item.tooltip), /list (cluster)?role(binding)?s\.rbac\.authorization\.k8s\.io/);
    await vscode.commands.executeCommand('saTokens.switchContext', kube.contexts.admin);
  });
});
