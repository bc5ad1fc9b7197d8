// The extension's cluster flows in the real VS Code host against the real control plane
// (kube-apiserver built from the official modules), switched to with one setting: saTokens.kubeconfig.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { SaTokensApi } from '../../src/api';
import type { RequestTokenOutcome } from '../../src/ui/requestToken/requestTokenFlow';
import type { AccountNode, LoadMoreNode } from '../../src/ui/tree/accountNodes';
import type { ExplorerApi } from '../../src/ui/explorer/explorerApi';
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

  test('a legacy Secret token from the real server is verified as the cluster\'s, and named legacy', async () => {
    const state = await decode(api, { token: await secretToken('build', 'deployer-token-legacy') });
    assert.equal(state.verification?.state, 'verified', state.verification?.detail);
    assert.match(state.verification?.detail ?? '', /legacy Secret-based token \(issuer "kubernetes\/serviceaccount"\)/);
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
    await vscode.commands.executeCommand('saTokens.switchContext', kube.contexts.admin);
  });
});
