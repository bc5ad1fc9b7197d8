import vscode = require('vscode');
import { isTokenError } from '../core/errors';
import type { ClusterClient, ServiceAccountSummary } from '../kube/clusterClient';
import type { ClusterSession } from '../platform/clusterSession';
import { configSection, settingIds } from '../constants';
import type { ServiceAccountNode } from './accountNodes';
import type { AccountsTreeProvider } from './accountsTree';
import { describeError } from '../core/logLine';

export interface ServiceAccountTarget {
  readonly context?: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Go to Service Account…: a quick pick filled page by page from a cluster-wide listing (falling back
 * to one listing per namespace when that is forbidden), then the SA is revealed in the tree.
 */
export async function goToServiceAccount(session: ClusterSession, tree: AccountsTreeProvider, target?: ServiceAccountTarget): Promise<ServiceAccountNode | undefined> {
  const client = await session.client();
  const context = target?.context ?? client.connectionInfo.contextName;
  const chosen = target ?? (await pick(client));
  if (chosen === undefined) {
    return undefined;
  }
  return tree.locate(context, chosen.namespace, chosen.name);
}

async function pick(client: ClusterClient): Promise<ServiceAccountTarget | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { target: ServiceAccountTarget }>();
  quickPick.title = 'Go to Service Account';
  quickPick.placeholder = 'Type to filter service accounts (namespace/name)';
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  quickPick.show();
  const controller = new AbortController();
  const add = (batch: ServiceAccountSummary[]) => {
    quickPick.items = [
      ...quickPick.items,
      ...batch.map((sa) => ({ label: sa.name, description: sa.namespace, target: { namespace: sa.namespace, name: sa.name } })),
    ];
  };
  void (async () => {
    try {
      await walk(client, controller.signal, add, () => {
        quickPick.items = [];
      });
    } catch (e) {
      if (!(isTokenError(e) && e.code === 'ERR_CANCELLED')) {
        quickPick.placeholder = `Could not list service accounts: ${describeError(e)}`;
      }
    } finally {
      quickPick.busy = false;
    }
  })();
  const result = await new Promise<ServiceAccountTarget | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.target);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  controller.abort();
  quickPick.dispose();
  return result;
}

/** Every SA the user can see: cluster-wide, or namespace by namespace when the cluster-wide list is forbidden. */
async function walk(client: ClusterClient, signal: AbortSignal, add: (batch: ServiceAccountSummary[]) => void, onRestart: () => void): Promise<void> {
  try {
    for await (const batch of client.walkServiceAccounts({ signal, onRestart })) {
      add(batch);
    }
    return;
  } catch (e) {
    if (!(isTokenError(e) && e.code === 'ERR_FORBIDDEN')) {
      throw e;
    }
  }
  onRestart();
  for (const namespace of await namespacesToSearch(client, signal)) {
    try {
      for await (const batch of client.walkServiceAccounts({ namespace, signal })) {
        add(batch);
      }
    } catch (e) {
      if (!(isTokenError(e) && e.code === 'ERR_FORBIDDEN')) {
        throw e;
      }
    }
  }
}

async function namespacesToSearch(client: ClusterClient, signal: AbortSignal): Promise<string[]> {
  const selected = vscode.workspace.getConfiguration(configSection).get<string[]>(settingIds.namespaces) ?? [];
  const names = new Set([client.connectionInfo.namespace, ...selected]);
  try {
    const page = await client.listNamespaces({ signal, limit: 500 });
    page.items.forEach((n) => names.add(n.name));
  } catch (e) {
    if (!(isTokenError(e) && e.code === 'ERR_FORBIDDEN')) {
      throw e;
    }
  }
  return [...names];
}
