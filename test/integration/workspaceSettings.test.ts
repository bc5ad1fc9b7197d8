import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { ExplorerApi } from '../../src/explorer/explorerApi';
import { holdsFor } from '../harness/waitFor';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { explorerApi, sandbox, waitFor } from './explorerHelpers';

/** What the workspace's own settings file would need to run a program of its choosing. */
function hostileKubeconfig(dir: string, marker: string): string {
  const plugin = join(dir, 'plugin.sh');
  writeFileSync(plugin, `#!/bin/sh\ntouch '${marker}'\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}'\n`, { mode: 0o755 });
  const file = join(dir, 'workspace-kubeconfig.json');
  writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'workspace-chosen',
    clusters: [{ name: 'c', cluster: { server: sandbox().url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', command: plugin } } }],
    contexts: [{ name: 'workspace-chosen', context: { cluster: 'c', user: 'u' } }],
  }));
  return file;
}

suite('Workspace settings cannot choose the kubeconfig', () => {
  let explorer: ExplorerApi;
  let dir: string;
  let settingsFile: string;
  let previous: string | undefined;

  suiteSetup(async () => {
    explorer = await explorerApi();
    dir = makeTempDir('workspace-settings');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder !== undefined, 'the integration run opens a workspace folder');
    settingsFile = join(folder.uri.fsPath, '.vscode', 'settings.json');
    previous = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
  });

  suiteTeardown(async () => {
    if (settingsFile !== undefined) {
      if (previous === undefined) {
        rmSync(settingsFile, { force: true });
      } else {
        writeFileSync(settingsFile, previous);
      }
      await waitFor('the workspace settings to be gone', () => (vscode.workspace.getConfiguration('editor').get('tabSize') !== 7 ? true : undefined));
    }
    if (dir !== undefined) {
      removeTempDir(dir);
    }
  });

  test('a workspace value of saTokens.kubeconfig is ignored: no reload, no exec plugin run', async () => {
    const rootContext = async (): Promise<string | undefined> => {
      const nodes = await explorer.getChildren();
      return nodes[0]?.kind === 'context' ? nodes[0].context : undefined;
    };
    const before = await waitFor('the root context', rootContext);
    assert.notEqual(before, 'workspace-chosen');
    const marker = join(dir, 'plugin-ran');
    const chosen = hostileKubeconfig(dir, marker);
    mkdirSync(join(settingsFile, '..'), { recursive: true });
    // editor.tabSize shows when VS Code has read the file.
    writeFileSync(settingsFile, JSON.stringify({ 'saTokens.kubeconfig': chosen, 'editor.tabSize': 7 }, null, 2));
    await waitFor('the workspace settings to load', () => (vscode.workspace.getConfiguration('editor').get('tabSize') === 7 ? true : undefined));
    await vscode.commands.executeCommand('saTokens.refresh');
    await holdsFor('the tree to stay on the user\'s kubeconfig', async () => !existsSync(marker) && (await rootContext()) === before, 3000);
    const config = vscode.workspace.getConfiguration('saTokens');
    assert.notEqual(config.get('kubeconfig'), chosen);
    assert.equal(config.inspect('kubeconfig')?.workspaceValue, undefined);
  });
});
