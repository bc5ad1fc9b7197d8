import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { ExplorerApi } from '../../src/explorer/explorerApi';
import type { AccountNode, ContextNode, LoadMoreNode, ServiceAccountNode } from '../../src/explorer/accountNodes';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { adminRequest, child, explorerApi, labels, rows, sandbox, setSetting, waitFor } from './explorerHelpers';

interface KubeconfigJson {
  'current-context'?: string;
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  [key: string]: unknown;
}

suite('Explorer', () => {
  let explorer: ExplorerApi;
  let dir: string;
  const sb = () => sandbox();
  const sandboxConfig = (): KubeconfigJson => JSON.parse(readFileSync(sb().kubeconfigPath, 'utf8')) as KubeconfigJson;
  const writeConfig = (name: string, content: string | object): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  const root = async (): Promise<ContextNode> => {
    const nodes = await explorer.getChildren();
    assert.equal(nodes.length, 1, `one root node, got ${JSON.stringify(nodes)}`);
    assert.equal(nodes[0]!.kind, 'context', `root is a context, got ${JSON.stringify(nodes[0])}`);
    return nodes[0] as ContextNode;
  };
  const rootIs = (context: string) =>
    waitFor(`root context ${context}`, async () => {
      const nodes = await explorer.getChildren();
      return nodes[0]?.kind === 'context' && nodes[0].context === context ? (nodes[0] as ContextNode) : undefined;
    });
  const rootError = (title: string) =>
    waitFor(`a root error "${title}"`, async () => {
      const nodes = await explorer.getChildren();
      const item = nodes[0] === undefined ? undefined : explorer.getTreeItem(nodes[0]);
      return nodes[0]?.kind === 'error' && item?.label === title ? { node: nodes[0], item } : undefined;
    });

  suiteSetup(async () => {
    explorer = await explorerApi();
    dir = makeTempDir('explorer-kubeconfigs');
  });

  suiteTeardown(() => {
    if (dir) {
      removeTempDir(dir);
    }
  });

  teardown(async () => {
    await setSetting('kubeconfig', undefined);
    await setSetting('namespaces', undefined);
    await setSetting('pageSize', undefined);
    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.admin);
    await rootIs(sb().contexts.admin);
  });

  test('shows the demo fixture: context → namespaces → service accounts with workload identities', async () => {
    const ctx = await rootIs(sb().contexts.admin);
    const ctxItem = explorer.getTreeItem(ctx);
    assert.equal(ctxItem.description, sb().url);
    assert.equal(ctxItem.contextValue, 'context');
    assert.equal(ctx.tlsVerificationDisabled, false);
    assert.notEqual(ctxItem.icon, 'warning');
    assert.equal(explorer.view.description, sb().contexts.admin);

    const namespaces = await rows(explorer, ctx);
    const names = namespaces.map((r) => r.item.label);
    for (const ns of ['build', 'default', 'kube-system', 'ml-platform', 'payments', 'web']) {
      assert.ok(names.includes(ns), `namespace ${ns} in ${names.join(', ')}`);
    }
    assert.equal(namespaces.find((r) => r.item.label === 'decommissioned')?.item.description, 'Terminating');

    const build = await child(explorer, ctx, 'build');
    assert.deepEqual(await labels(explorer, build), ['builder', 'ci-bot', 'default', 'deployer']);
    const accounts = await rows(explorer, build);
    const ciBot = accounts.find((r) => r.item.label === 'ci-bot')!;
    assert.equal(ciBot.item.contextValue, 'serviceAccount');
    assert.equal(ciBot.item.description, 'AWS: ci-bot');
    const sa = ciBot.node as ServiceAccountNode;
    assert.equal(sa.context, sb().contexts.admin);
    assert.equal(sa.namespace, 'build');
    assert.match(sa.uid, /^[0-9a-f-]{36}$/);
    assert.equal(sa.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::111122223333:role/ci-bot');
    assert.ok(ciBot.item.tooltip?.includes(sa.uid), 'tooltip shows the uid');
    assert.match(ciBot.item.tooltip ?? '', /automount token: false/);
    assert.match(ciBot.item.tooltip ?? '', /secrets: `ci-bot-token`/);
    assert.match(ciBot.item.tooltip ?? '', /imagePullSecrets: `registry-creds`/);
    assert.match(ciBot.item.tooltip ?? '', /age: 25d/);
    assert.equal(accounts.find((r) => r.item.label === 'builder')?.item.description, undefined);

    const payments = await rows(explorer, await child(explorer, ctx, 'payments'));
    assert.equal(payments.find((r) => r.item.label === 'payments-api')?.item.description, 'GKE: payments-api@acme-prod');
    assert.equal(payments.find((r) => r.item.label === 'ledger')?.item.description, 'Azure: 4a1c2b3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d');
  });

  test('shows legacy secret-based tokens with last-used / invalid-since labels', async () => {
    const ctx = await rootIs(sb().contexts.admin);
    const ciBot = await child(explorer, await child(explorer, ctx, 'build'), 'ci-bot');
    const tokens = await rows(explorer, ciBot);
    const legacy = tokens.filter((r) => r.node.kind === 'legacyToken');
    assert.deepEqual(legacy.map((r) => r.item.label), ['ci-bot-token']);
    assert.equal(legacy[0]!.item.description, 'long-lived secret token · last used 2026-01-10');
    assert.equal(legacy[0]!.item.contextValue, 'legacyToken');
    assert.equal(legacy[0]!.item.icon, 'warning');

    const ledger = await child(explorer, await child(explorer, ctx, 'payments'), 'ledger');
    const ledgerTokens = (await rows(explorer, ledger)).filter((r) => r.node.kind === 'legacyToken');
    assert.deepEqual(ledgerTokens.map((r) => [r.item.label, r.item.description]), [['ledger-token-old', 'long-lived secret token · invalid since 2025-09-01']]);

    const builder = await child(explorer, await child(explorer, ctx, 'build'), 'builder');
    assert.deepEqual(await labels(explorer, builder), ['No tokens issued here yet', 'Access']);
  });

  test('Switch Context changes the tree (in memory) and warns when TLS verification is off', async () => {
    const before = readFileSync(sb().kubeconfigPath, 'utf8');
    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.insecure);
    const ctx = await rootIs(sb().contexts.insecure);
    const item = explorer.getTreeItem(ctx);
    assert.equal(ctx.tlsVerificationDisabled, true);
    assert.equal(item.icon, 'warning');
    assert.equal(item.description, `${sb().url} · TLS verification off`);
    assert.match(item.tooltip ?? '', /TLS verification is off/);
    assert.ok((await labels(explorer, ctx)).includes('build'), 'the insecure context still lists namespaces');
    assert.equal(explorer.view.description, sb().contexts.insecure);
    assert.equal(readFileSync(sb().kubeconfigPath, 'utf8'), before, 'the kubeconfig file is never written');
  });

  test('the limited user falls back to the context namespace and the selected namespaces', async () => {
    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.limited);
    const ctx = await rootIs(sb().contexts.limited);
    const fallback = await rows(explorer, ctx);
    assert.deepEqual(fallback.map((r) => r.item.label), ["Cannot list namespaces: showing the context's namespace", 'build']);
    assert.match(fallback[0]!.item.tooltip ?? '', /namespaces is forbidden: User "jane" cannot list resource "namespaces"/);
    assert.equal(fallback[0]!.item.command?.command, 'saTokens.selectNamespaces');

    const build = fallback[1]!.node;
    assert.deepEqual(await labels(explorer, build), ['builder', 'ci-bot', 'default', 'deployer']);
    const ciBot = await child(explorer, build, 'ci-bot');
    assert.deepEqual(await labels(explorer, ciBot), ['Legacy token secrets not shown (cannot list secrets)', 'Access']);

    await vscode.commands.executeCommand('saTokens.selectNamespaces', ['build', 'web']);
    const selected = await waitFor('the selected namespaces', async () => {
      const l = await labels(explorer, await root());
      return l.includes('web') ? l : undefined;
    });
    assert.deepEqual(selected, ['Showing 2 selected namespaces', 'build', 'web']);
    const web = await child(explorer, await root(), 'web');
    assert.deepEqual(await labels(explorer, web), ['cdn-purger', 'default', 'frontend']);
  });

  test('a forbidden namespace shows an error item with the server reason and actions', async () => {
    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.limited);
    await setSetting('namespaces', ['payments']);
    const payments = await waitFor('the payments namespace', async () => (await labels(explorer, await root())).includes('payments') ? child(explorer, await root(), 'payments') : undefined);
    const [error] = await rows(explorer, payments);
    assert.equal(error!.node.kind, 'error');
    assert.equal(error!.item.label, 'Forbidden');
    assert.equal(error!.item.collapsible, 'expanded', 'a forbidden listing is this row\'s own problem: its actions show');
    assert.match(error!.item.description ?? '', /serviceaccounts is forbidden: User "jane" cannot list resource "serviceaccounts" in API group "" in the namespace "payments"/);
    assert.deepEqual(await labels(explorer, error!.node), ['Retry', 'Switch Context…', 'Select Namespaces…']);
  });

  test('unreachable, expired credentials (401) and exec plugins: error items or data under the context', async () => {
    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.unreachable);
    const unreachable = await rows(explorer, await rootIs(sb().contexts.unreachable));
    assert.equal(unreachable.length, 1);
    assert.equal(unreachable[0]!.item.label, 'Cannot reach the API server');
    assert.equal(unreachable[0]!.item.collapsible, 'collapsed', 'the context row already says it, with its actions');
    assert.match(unreachable[0]!.item.description ?? '', /^Cannot reach the API server at https:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(await labels(explorer, unreachable[0]!.node), ['Retry', 'Switch Context…', 'Open Kubeconfig']);

    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.expired);
    const expired = await rows(explorer, await rootIs(sb().contexts.expired));
    assert.equal(expired[0]!.item.label, 'Unauthorized: credentials rejected');
    assert.match(expired[0]!.item.description ?? '', /rejected the credentials of user "expired" in context "sandbox-expired" \(401 Unauthorized\)/);
    assert.match(expired[0]!.item.tooltip ?? '', /log in again/);

    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.exec);
    const exec = await labels(explorer, await rootIs(sb().contexts.exec));
    assert.ok(exec.includes('build'), `the exec-plugin context lists namespaces: ${exec.join(', ')}`);
  });

  test('kubeconfig problems: malformed YAML, missing file, empty config, current-context naming nothing', async () => {
    await setSetting('kubeconfig', writeConfig('malformed.yaml', 'apiVersion: v1\nclusters: [\n  - name: x\n  bad'));
    const malformed = await rootError('Kubeconfig problem');
    assert.match(malformed.item.description ?? '', /malformed\.yaml:\d+:\d+ is not valid YAML/);
    assert.deepEqual(await labels(explorer, malformed.node), ['Open Kubeconfig', 'Pick Another Kubeconfig File…', 'Retry']);
    assert.equal(explorer.view.kubeconfigState, 'error');

    const missingPath = join(dir, 'does-not-exist.yaml');
    await setSetting('kubeconfig', missingPath);
    await waitFor('the missing-kubeconfig state', async () => (explorer.view.kubeconfigState === 'missing' ? true : (await explorer.getChildren(), undefined)));
    assert.deepEqual(await explorer.getChildren(), [], 'the welcome content shows instead of items');
    // A view message would hide the welcome content and its actions (Pick Kubeconfig File, Refresh).
    assert.equal(explorer.view.message, undefined);

    await setSetting('kubeconfig', writeConfig('empty.yaml', ''));
    const empty = await rootError('Kubeconfig problem');
    assert.match(empty.item.description ?? '', /^The kubeconfig has no contexts/);

    const config = sandboxConfig();
    await setSetting('kubeconfig', writeConfig('dangling.json', { ...config, 'current-context': 'nowhere' }));
    const dangling = await rootError('Context problem');
    assert.match(dangling.item.description ?? '', /current-context "nowhere" names no context/);
    assert.deepEqual(await labels(explorer, dangling.node), ['Switch Context…', 'Open Kubeconfig', 'Retry']);
    // Switch Context recovers without touching the file.
    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.admin);
    await rootIs(sb().contexts.admin);
  });

  test('merges several kubeconfig files like kubectl (first file wins, its current-context)', async () => {
    const config = sandboxConfig();
    const admin = config.contexts.find((c) => c.name === sb().contexts.admin)!;
    const first = writeConfig('first.json', {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'merged-web',
      contexts: [{ name: 'merged-web', context: { cluster: admin.context.cluster, user: admin.context.user, namespace: 'web' } }],
    });
    await setSetting('kubeconfig', [first, sb().kubeconfigPath]);
    const ctx = await rootIs('merged-web');
    assert.equal(ctx.namespace, 'web');
    assert.equal(explorer.getTreeItem(ctx).description, sb().url);
    assert.ok((await labels(explorer, ctx)).includes('payments'), 'the cluster and user come from the second file');
    await vscode.commands.executeCommand('saTokens.switchContext', sb().contexts.limited);
    await rootIs(sb().contexts.limited);
  });

  test('picks up a kubeconfig change without a reload', async () => {
    const config = sandboxConfig();
    const file = writeConfig('watched.json', { ...config, 'current-context': sb().contexts.admin });
    await setSetting('kubeconfig', file);
    await rootIs(sb().contexts.admin);
    writeFileSync(file, JSON.stringify({ ...config, 'current-context': sb().contexts.insecure }, null, 2));
    await rootIs(sb().contexts.insecure);
  });

  test('pages with Load more, restarts after a 410, and Go to Service Account reveals an SA beyond the loaded page', async () => {
    const ns = `paging-${Date.now().toString(36)}`;
    assert.equal((await adminRequest('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    for (let i = 1; i <= 7; i++) {
      const created = await adminRequest('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: `pg-${String(i).padStart(2, '0')}` } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    await setSetting('pageSize', 3);
    await setSetting('namespaces', [ns]);
    const nsNode = await waitFor('the paging namespace', async () => ((await labels(explorer, await root())).includes(ns) ? child(explorer, await root(), ns) : undefined));

    // The namespace's default SA may or may not exist yet in the sandbox: count what the server has.
    const total = ((await adminRequest('GET', `/api/v1/namespaces/${ns}/serviceaccounts`)).body as { items: unknown[] }).items.length;
    let page = await rows(explorer, nsNode);
    assert.equal(page.length, 4);
    assert.equal(page[3]!.item.label, 'Load more…');
    assert.equal(page[3]!.item.description, `3 loaded, about ${total - 3} more`);
    assert.equal(page[3]!.item.command?.command, 'saTokens.loadMore');

    await vscode.commands.executeCommand('saTokens.loadMore', page[3]!.node as LoadMoreNode);
    page = await rows(explorer, nsNode);
    assert.equal(page.filter((r) => r.node.kind === 'serviceAccount').length, 6);
    assert.equal(page.at(-1)!.node.kind, 'loadMore');

    // A write then a compaction makes the continue token too old: the listing restarts from page one.
    await adminRequest('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'pg-08' } });
    assert.equal((await adminRequest('POST', '/sandbox/v1/compact')).status, 200);
    await vscode.commands.executeCommand('saTokens.loadMore', page.at(-1)!.node as LoadMoreNode);
    page = await rows(explorer, nsNode);
    assert.equal(page.filter((r) => r.node.kind === 'serviceAccount').length, 3, `restarted: ${page.map((r) => r.item.label).join(', ')}`);
    assert.equal(page.at(-1)!.item.label, 'Load more…');

    await vscode.commands.executeCommand('saTokens.goToServiceAccount', { namespace: ns, name: 'pg-07' });
    const after = await rows(explorer, nsNode);
    const names = after.filter((r) => r.node.kind === 'serviceAccount').map((r) => r.item.label);
    assert.equal(names[0], 'pg-07', `pg-07 pinned first in the namespace: ${names.join(', ')}`);
    assert.equal(names.length, 4, `the loaded page plus the pinned SA: ${names.join(', ')}`);
  });

  test('Show Service Account YAML opens a read-only document from the server', async () => {
    const ctx = await rootIs(sb().contexts.admin);
    const ciBot = await child(explorer, await child(explorer, ctx, 'build'), 'ci-bot');
    await vscode.commands.executeCommand('saTokens.showServiceAccountYaml', ciBot);
    const editor = await waitFor('the YAML editor', async () => (vscode.window.activeTextEditor?.document.uri.scheme === 'sa-tokens' ? vscode.window.activeTextEditor : undefined));
    const text = editor.document.getText();
    assert.equal(editor.document.languageId, 'yaml');
    assert.match(text, /^# ServiceAccount build\/ci-bot in context sandbox-admin \(read-only\)\n/);
    assert.match(text, /\nmetadata:\n {2}.*\n/);
    assert.match(text, /\n {2}name: ci-bot\n/);
    assert.match(text, /eks\.amazonaws\.com\/role-arn: arn:aws:iam::111122223333:role\/ci-bot/);
    assert.match(text, /\nautomountServiceAccountToken: false\n/);
    assert.doesNotMatch(text, /managedFields/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Copy Name and Copy kubectl create token Command', async () => {
    const ctx = await rootIs(sb().contexts.admin);
    const ciBot: AccountNode = await child(explorer, await child(explorer, ctx, 'build'), 'ci-bot');
    await vscode.commands.executeCommand('saTokens.copyName', ciBot);
    assert.equal(await vscode.env.clipboard.readText(), 'ci-bot');
    await vscode.commands.executeCommand('saTokens.copyCreateTokenCommand', ciBot);
    assert.equal(await vscode.env.clipboard.readText(), 'kubectl --context sandbox-admin create token ci-bot -n build');
  });
});
