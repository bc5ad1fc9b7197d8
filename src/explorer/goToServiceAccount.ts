import vscode = require('vscode');
import { isTokenError } from '../core/errors';
import type { ClusterClient, ServiceAccountSummary } from '../kube/clusterClient';
import type { ClusterSession } from '../platform/clusterSession';
import { configSection, settingIds } from '../constants';
import type { ServiceAccountNode } from './accountNodes';
import type { AccountsTreeProvider } from './accountsTree';
import { selectedNamespaces } from './namespaceSetting';
import { describeError } from '../core/logLine';
import { hiddenAccountMessage, hiddenBySelection, withNamespaceShown } from '../core/kubernetes/namespaceSelection';

export interface ServiceAccountTarget {
  readonly context?: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Go to Service Account…: a quick pick filled page by page, from the namespaces Select Namespaces shows
 * (with an item to search all of them) or from a cluster-wide listing (falling back to one listing per
 * namespace when that is forbidden), then the SA is revealed in the tree. An account whose namespace the
 * selection hides is not silently skipped: the user is told, and offered to show its namespace.
 */
export async function goToServiceAccount(session: ClusterSession, tree: AccountsTreeProvider, target?: ServiceAccountTarget): Promise<ServiceAccountNode | undefined> {
  const client = await session.client();
  const context = target?.context ?? client.connectionInfo.contextName;
  const selected = selectedNamespaces();
  const chosen = target ?? (await pick(client, selected));
  if (chosen === undefined) {
    return undefined;
  }
  if (hiddenBySelection(selected, chosen.namespace)) {
    const answer = await vscode.window.showInformationMessage(hiddenAccountMessage(chosen.namespace, chosen.name, selected), showNamespace);
    if (answer !== showNamespace) {
      return undefined;
    }
    await showNamespaceToo(chosen.namespace);
    tree.refresh();
  }
  return tree.locate(context, chosen.namespace, chosen.name);
}

const showNamespace = 'Show Namespace';

/** Adds the namespace to the selection and waits until the extension host sees the new setting. */
async function showNamespaceToo(namespace: string): Promise<void> {
  const applied = new Promise<void>((resolve) => {
    const timer = setTimeout(() => done(), 5000);
    const subscription = vscode.workspace.onDidChangeConfiguration(() => {
      if (selectedNamespaces().includes(namespace)) {
        done();
      }
    });
    function done() {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    }
  });
  await vscode.workspace.getConfiguration(configSection).update(settingIds.namespaces, withNamespaceShown(selectedNamespaces(), namespace), vscode.ConfigurationTarget.Global);
  if (!selectedNamespaces().includes(namespace)) {
    await applied;
  }
}

type TargetItem = vscode.QuickPickItem & { target?: ServiceAccountTarget };

async function pick(client: ClusterClient, selected: readonly string[]): Promise<ServiceAccountTarget | undefined> {
  const quickPick = vscode.window.createQuickPick<TargetItem>();
  quickPick.title = 'Go to Service Account';
  quickPick.placeholder = 'Type to filter service accounts (namespace/name)';
  quickPick.matchOnDescription = true;
  quickPick.show();
  // With a selection, the pick lists what the tree shows first; this item widens it to every namespace.
  const searchAll: TargetItem = { label: '$(search) Search All Namespaces…', description: `shown: ${selected.join(', ')}`, alwaysShow: true };
  let controller = new AbortController();
  const load = (scope: readonly string[] | undefined) => {
    controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const extra = scope === undefined ? [] : [searchAll];
    quickPick.items = extra;
    quickPick.busy = true;
    const add = (batch: ServiceAccountSummary[]) => {
      if (!signal.aborted) {
        quickPick.items = [
          ...quickPick.items.filter((i) => i !== searchAll),
          ...batch.map((sa) => ({
            label: sa.name,
            description: hiddenBySelection(selected, sa.namespace) ? `${sa.namespace} · hidden by Select Namespaces` : sa.namespace,
            target: { namespace: sa.namespace, name: sa.name },
          })),
          ...extra,
        ];
      }
    };
    void (async () => {
      try {
        await (scope === undefined ? walk(client, signal, add, () => (quickPick.items = extra)) : walkNamespaces(client, scope, signal, add));
      } catch (e) {
        if (!(isTokenError(e) && e.code === 'ERR_CANCELLED')) {
          quickPick.placeholder = `Could not list service accounts: ${describeError(e)}`;
        }
      } finally {
        if (!signal.aborted) {
          quickPick.busy = false;
        }
      }
    })();
  };
  load(selected.length > 0 ? selected : undefined);
  const result = await new Promise<ServiceAccountTarget | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0];
      if (item === searchAll) {
        // Keeps what was typed: the wider list is filtered the same way.
        load(undefined);
        return;
      }
      resolve(item?.target);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  controller.abort();
  quickPick.dispose();
  return result;
}

/** The service accounts of the given namespaces (one the user may not list is skipped). */
async function walkNamespaces(client: ClusterClient, namespaces: readonly string[], signal: AbortSignal, add: (batch: ServiceAccountSummary[]) => void): Promise<void> {
  for (const namespace of namespaces) {
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
  await walkNamespaces(client, await namespacesToSearch(client, signal), signal, add);
}

async function namespacesToSearch(client: ClusterClient, signal: AbortSignal): Promise<string[]> {
  const names = new Set([client.connectionInfo.namespace, ...selectedNamespaces()]);
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
