import type { AccountNode } from './accountNodes';

/** A TreeItem as plain data, for tests. */
export interface TreeItemData {
  readonly id?: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly contextValue?: string;
  readonly icon?: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly command?: { readonly command: string; readonly arguments?: readonly unknown[] };
}

/** Read-only access to the Service Accounts tree (the same provider the view uses). Never exposes a token. */
export interface ExplorerApi {
  getChildren(node?: AccountNode): Promise<AccountNode[]>;
  getTreeItem(node: AccountNode): TreeItemData;
  /** The view's `message` (kubeconfig problems) and `description` (active context). */
  readonly view: { readonly message?: string; readonly description?: string; readonly kubeconfigState?: string };
}
