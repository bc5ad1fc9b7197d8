import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { suite, test } from 'mocha';
import type { SaTokensApi } from '../../src/api';

const extensionId = 'kube-sa-tokens.kube-sa-tokens';

interface Manifest {
  engines: { vscode: string };
  contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
}

suite('Activation', () => {
  test('runs inside a real VS Code extension host', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof vscode.window.createTreeView, 'function');
    assert.ok(vscode.env.appName.length > 0, 'the host reports an application name');
  });

  test('the extension activates and returns its API', async () => {
    const extension = vscode.extensions.getExtension<SaTokensApi>(extensionId);
    assert.ok(extension, `${extensionId} is loaded as the extension under development`);
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    await api.ready;
  });

  test('every contributed command is registered, and every registered saTokens command is contributed', async () => {
    const extension = vscode.extensions.getExtension<SaTokensApi>(extensionId);
    assert.ok(extension);
    await extension.activate();
    const manifest = JSON.parse(readFileSync(join(extension.extensionPath, 'package.json'), 'utf8')) as Manifest;
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    // The workbench itself registers `<viewId>.focus`, `.open`, ... for each contributed view; those are not ours.
    const viewIds = Object.values(manifest.contributes.views).flat().map((v) => `${v.id}.`);
    const registered = new Set(
      (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('saTokens.') && !viewIds.some((prefix) => c.startsWith(prefix))),
    );
    assert.ok(contributed.size > 0);
    assert.deepEqual([...contributed].filter((c) => !registered.has(c)), [], 'contributed but not registered');
    assert.deepEqual([...registered].filter((c) => !contributed.has(c)), [], 'registered but not contributed');
  });

  test('the Service Accounts view is contributed and can be focused', async () => {
    const extension = vscode.extensions.getExtension<SaTokensApi>(extensionId);
    assert.ok(extension);
    const manifest = extension.packageJSON as Manifest;
    assert.deepEqual(manifest.contributes.views.saTokens.map((v) => v.id), ['saTokens.serviceAccounts']);
    // `<view>.focus` exists only for a view the workbench registered; it also activates the view.
    await vscode.commands.executeCommand('saTokens.serviceAccounts.focus');
  });
});
