import * as vscode from 'vscode';

/**
 * Stands in for the real tree provider until the features bundle is loaded: the first `getChildren`
 * loads it (the view shows its progress bar meanwhile), after which every call is forwarded.
 */
export class LazyTreeDataProvider implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private _delegate: vscode.TreeDataProvider<unknown> | undefined;
  private _delegateListener: vscode.Disposable | undefined;

  constructor(private readonly _load: () => Promise<unknown>) {}

  setDelegate(delegate: vscode.TreeDataProvider<unknown>): void {
    this._delegateListener?.dispose();
    this._delegate = delegate;
    this._delegateListener = delegate.onDidChangeTreeData?.((e) => this._onDidChangeTreeData.fire(e));
    this._onDidChangeTreeData.fire(undefined);
  }

  private async _loaded(): Promise<vscode.TreeDataProvider<unknown>> {
    if (!this._delegate) {
      await this._load();
    }
    if (!this._delegate) {
      throw new Error('The Service Accounts view has no data provider.');
    }
    return this._delegate;
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    // Elements only exist once the delegate produced them.
    return this._delegate!.getTreeItem(element);
  }

  async getChildren(element?: unknown): Promise<unknown[]> {
    return (await (await this._loaded()).getChildren(element)) ?? [];
  }

  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this._delegate?.getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: unknown, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this._delegate?.resolveTreeItem ? this._delegate.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this._delegateListener?.dispose();
    this._onDidChangeTreeData.dispose();
  }
}
