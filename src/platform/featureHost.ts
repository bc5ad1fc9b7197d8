import type * as vscode from 'vscode';

/**
 * How features register what the activation shell (dist/extension.js) already contributed to VS Code.
 * The shell registers every contributed command, the tree view and the webview serializers at
 * activation with stand-ins, and loads the features bundle (dist/features.js) only when one of them is
 * first used; features then hand the real implementations over through this host.
 */
export interface FeatureHost {
  registerCommand(id: string, handler: (...args: never[]) => unknown): vscode.Disposable;
  createTreeView<T>(viewId: string, options: vscode.TreeViewOptions<T>): vscode.TreeView<T>;
  registerWebviewPanelSerializer(viewType: string, serializer: vscode.WebviewPanelSerializer): vscode.Disposable;
}

let currentHost: FeatureHost | undefined;

/** Called once by `activateFeatures`, before any feature registers. */
export function setFeatureHost(host: FeatureHost): void {
  currentHost = host;
}

export function featureHost(): FeatureHost {
  if (!currentHost) {
    throw new Error('Features registered before the activation shell provided a host.');
  }
  return currentHost;
}
