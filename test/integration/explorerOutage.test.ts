import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { ExplorerApi } from '../../src/explorer/explorerApi';
import type { ContextNode, ServiceAccountNode } from '../../src/explorer/accountNodes';
import type { RequestTokenOutcome } from '../../src/requestToken/requestTokenFlow';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { adminRequest, child, explorerApi, rows, sandbox, setSetting, waitFor } from './explorerHelpers';
import { pick, requestWith, ScriptedPrompter } from './requestTokenHelpers';

interface KubeconfigJson {
  clusters: { name: string; cluster: { server: string; [key: string]: unknown } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  [key: string]: unknown;
}

/** The context row's state in an outage, driven by the sandbox's faults and a server that is gone. */
suite('Explorer: outages on the context row', () => {
  let explorer: ExplorerApi;
  let dir: string;
  const admin = () => sandbox().contexts.admin;
  const contextRow = async (): Promise<ContextNode> => {
    const [root] = await explorer.getChildren();
    assert.equal(root?.kind, 'context', JSON.stringify(root));
    return root as ContextNode;
  };

  suiteSetup(async () => {
    explorer = await explorerApi();
    dir = makeTempDir('explorer-outage');
  });

  suiteTeardown(() => removeTempDir(dir));

  teardown(async () => {
    await adminRequest('POST', '/sandbox/v1/faults', { reset: true });
    await setSetting('requestTimeoutSeconds', undefined);
    await setSetting('kubeconfig', undefined);
    await vscode.commands.executeCommand('saTokens.switchContext', admin());
  });

  test('a hung server: the context row shows it is loading, then that the request timed out, with its actions', async () => {
    await vscode.commands.executeCommand('saTokens.switchContext', admin());
    await setSetting('requestTimeoutSeconds', 6);
    await adminRequest('POST', '/sandbox/v1/faults', { stallRate: 1, stallMs: 20_000 });
    await vscode.commands.executeCommand('saTokens.refresh');
    const ctx = await contextRow();
    const loading = await explorer.getChildren(ctx);
    assert.deepEqual(loading.map((n) => explorer.getTreeItem(n).label), ['Loading…'], 'a slow listing answers with a Loading… row');
    assert.equal(explorer.getTreeItem(loading[0]!).icon, 'loading~spin');
    const slow = await waitFor('the context row to show the slow request', async () => {
      const item = explorer.getTreeItem(await contextRow());
      return item.icon === 'loading~spin' ? item : undefined;
    });
    assert.equal(slow.description, `${sandbox().url} · Loading… (the API server is slow to answer)`);
    await waitFor('the request to time out', async () => ((await explorer.getChildren(ctx)).at(-1)?.kind === 'error' ? true : undefined), 30_000);
    const timedOut = explorer.getTreeItem(await contextRow());
    assert.match(timedOut.description ?? '', /^timed out: The API server at https:\/\/127\.0\.0\.1:\d+ did not answer GET \/api\/v1\/namespaces\S* within 6 s/);
    assert.equal(timedOut.contextValue, 'context.unreachable', 'the row offers Refresh, Switch Context and Open Kubeconfig');
    assert.equal(timedOut.icon, 'debug-disconnect');
    assert.match(timedOut.tooltip ?? '', /Refresh to retry, Switch Context to use another cluster, or Open Kubeconfig/);

    // The server answers again: Refresh (Retry) brings the row back to its healthy look.
    await adminRequest('POST', '/sandbox/v1/faults', { reset: true });
    await vscode.commands.executeCommand('saTokens.refresh', ctx);
    await explorer.getChildren(await contextRow());
    const healthy = explorer.getTreeItem(await contextRow());
    assert.equal(healthy.description, sandbox().url);
    assert.equal(healthy.contextValue, 'context');
  });

  test('a dead server: the context row says unreachable with the error, and the issued token stays listed', async () => {
    await vscode.commands.executeCommand('saTokens.switchContext', admin());
    const prompter = new ScriptedPrompter({ review: pick('Request token') });
    const outcome = await requestWith<RequestTokenOutcome>(prompter, {
      context: admin(), namespace: 'web', serviceAccount: 'default', audiences: ['https://vault.example'], expirationSeconds: 3600,
    });
    assert.equal(outcome.status, 'issued', JSON.stringify(prompter.messages));
    try {
      // The same context name, its server gone (the sandbox's closed port).
      const config = JSON.parse(readFileSync(sandbox().kubeconfigPath, 'utf8')) as KubeconfigJson;
      const clusterOf = (name: string) => config.clusters.find((c) => c.name === config.contexts.find((x) => x.name === name)!.context.cluster)!;
      clusterOf(admin()).cluster.server = clusterOf(sandbox().contexts.unreachable).cluster.server;
      const file = join(dir, 'dead.json');
      writeFileSync(file, JSON.stringify({ ...config, 'current-context': admin() }));
      await setSetting('kubeconfig', file);
      const namespaces = await waitFor('the dead server on the context row', async () => {
        const children = await explorer.getChildren(await contextRow());
        return explorer.getTreeItem(await contextRow()).contextValue === 'context.unreachable' ? children : undefined;
      });
      const item = explorer.getTreeItem(await contextRow());
      assert.match(item.description ?? '', /^unreachable: Cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/);
      assert.match(item.tooltip ?? '', /ECONNREFUSED/);
      assert.deepEqual(namespaces.map((n) => n.kind), ['namespace', 'error'], 'the namespace of the stored token, then the error');
      const account = await child(explorer, namespaces[0], 'default');
      assert.equal((account as ServiceAccountNode).fromTokenStore, true);
      const tokens = (await rows(explorer, account)).filter((r) => r.node.kind === 'issuedToken');
      assert.deepEqual(tokens.map((r) => r.item.label), ['https://vault.example']);
    } finally {
      await vscode.commands.executeCommand('saTokens.forgetToken', outcome.id);
    }
  });
});
