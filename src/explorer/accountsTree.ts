import vscode = require('vscode');
import type { AccountNode } from './accountNodes';
import { AccountsModel, type AccountsModelDeps } from './accountsModel';
import { buildTreeItem } from './treeItems';

export type { AccountsTreeSettings, RootState } from './accountsModel';

/** The Service Accounts tree for VS Code: the model's nodes, rendered as TreeItems. */
export class AccountsTreeProvider extends AccountsModel implements vscode.TreeDataProvider<AccountNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData: vscode.EventEmitter<AccountNode | undefined>;
  readonly onDidChangeTreeData: vscode.Event<AccountNode | undefined>;

  constructor(deps: Omit<AccountsModelDeps, 'onDidChange'>) {
    const emitter = new vscode.EventEmitter<AccountNode | undefined>();
    super({ ...deps, onDidChange: (node) => emitter.fire(node) });
    this._onDidChangeTreeData = emitter;
    this.onDidChangeTreeData = emitter.event;
  }

  getTreeItem(node: AccountNode): vscode.TreeItem {
    return buildTreeItem(node, Date.now(), this.rowState(node));
  }

  override dispose(): void {
    super.dispose();
    this._onDidChangeTreeData.dispose();
  }
}
