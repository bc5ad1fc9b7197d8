import * as vscode from 'vscode';
import { Disposable } from '../../platform/disposable';

/** Placeholder node type; the explorer replaces it with context / namespace / service-account kinds. */
export type AccountNode = { readonly kind: 'placeholder' };

export class AccountsTreeProvider extends Disposable implements vscode.TreeDataProvider<AccountNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<AccountNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  refresh(): void {
    this._onDidChangeTreeData.fire(undefined);
  }

  getTreeItem(_node: AccountNode): vscode.TreeItem {
    return new vscode.TreeItem('');
  }

  getChildren(): AccountNode[] {
    return [];
  }
}
