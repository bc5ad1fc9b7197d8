import * as vscode from 'vscode';
import type { SaTokensApi } from './api';
import { commandIds, configSection, contextKeys, settingIds, viewIds } from './constants';
import { ContextKey } from './platform/contextKey';
import { KubeClusterSession } from './platform/kubeClusterSession';
import { Log } from './platform/log';
import { AccountsTreeProvider } from './ui/tree/accountsTree';
import { anyFileExists, kubeconfigPaths } from './ui/kubeconfigPresence';

/**
 * Composition root: builds the shared services, hands them to each feature's `register*` function and
 * keeps every disposable in `context.subscriptions`. No feature logic lives here.
 */
export function activate(context: vscode.ExtensionContext): SaTokensApi {
  const log = new Log('SA Tokens');
  context.subscriptions.push(log);

  // ── shared services ──
  // Loads nothing until first used (the kube module and kubeconfig load on the first client()/whenLoaded()).
  const session = new KubeClusterSession({ log });
  context.subscriptions.push(session);

  // ── features ──
  const tree = new AccountsTreeProvider();
  const state = new ContextKey<string>(contextKeys.kubeconfigState);
  const updateState = async () => {
    const override = vscode.workspace.getConfiguration(configSection).get<string | string[]>(settingIds.kubeconfig);
    await state.set((await anyFileExists(kubeconfigPaths(override))) ? 'ready' : 'missing');
  };
  context.subscriptions.push(
    tree,
    vscode.window.createTreeView(viewIds.serviceAccounts, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.commands.registerCommand(commandIds.refresh, async () => {
      await updateState();
      tree.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${configSection}.${settingIds.kubeconfig}`)) {
        void updateState().then(() => tree.refresh());
      }
    }),
  );
  const ready = state.set('loading').then(updateState);

  return { ready };
}

export function deactivate(): void {}
