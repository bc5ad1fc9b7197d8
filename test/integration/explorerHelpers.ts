import * as vscode from 'vscode';
import type { SaTokensApi } from '../../src/api';
import type { ExplorerApi, TreeItemData } from '../../src/explorer/explorerApi';
import type { AccountNode } from '../../src/explorer/accountNodes';
import { sandbox, waitFor, adminRequest } from './hostTestUtils';
export { sandbox, waitFor, adminRequest };

export const extensionId = 'kube-sa-tokens.kube-sa-tokens';

export async function explorerApi(): Promise<ExplorerApi> {
  const extension = vscode.extensions.getExtension<SaTokensApi>(extensionId);
  if (extension === undefined) {
    throw new Error(`${extensionId} is not loaded`);
  }
  const api = await extension.activate();
  await api.ready;
  return api.explorer;
}



export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('saTokens').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Children with their TreeItems, for compact assertions. */
export async function rows(explorer: ExplorerApi, node?: AccountNode): Promise<Array<{ node: AccountNode; item: TreeItemData }>> {
  const nodes = await explorer.getChildren(node);
  return nodes.map((n) => ({ node: n, item: explorer.getTreeItem(n) }));
}

export async function labels(explorer: ExplorerApi, node?: AccountNode): Promise<string[]> {
  return (await rows(explorer, node)).map((r) => r.item.label);
}

export async function child(explorer: ExplorerApi, parent: AccountNode | undefined, label: string): Promise<AccountNode> {
  const found = (await rows(explorer, parent)).find((r) => r.item.label === label);
  if (found === undefined) {
    throw new Error(`No child "${label}" under ${parent?.key ?? 'the root'}: ${(await labels(explorer, parent)).join(', ')}`);
  }
  return found.node;
}

