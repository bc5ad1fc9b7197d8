import vscode = require('vscode');
import { configSection, settingIds } from '../constants';
import type { ClusterSession } from '../platform/clusterSession';

/**
 * Select Namespaces: writes `saTokens.namespaces` (user settings). An empty selection shows every
 * namespace again. Offers the cluster's first namespaces when listing is allowed, and free typing
 * (comma-separated) for clusters where it is not. With `names`, no picker is shown.
 */
export async function selectNamespaces(session: ClusterSession, names?: readonly string[]): Promise<void> {
  const config = vscode.workspace.getConfiguration(configSection);
  if (names !== undefined) {
    await config.update(settingIds.namespaces, [...names], vscode.ConfigurationTarget.Global);
    return;
  }
  const current = new Set(config.get<string[]>(settingIds.namespaces) ?? []);
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  quickPick.title = 'Select Namespaces (none selected: show all)';
  quickPick.placeholder = 'Pick namespaces, or type names separated by commas and press Enter';
  quickPick.canSelectMany = true;
  quickPick.busy = true;
  const toItems = (list: Iterable<string>) => [...new Set(list)].sort().map((label) => ({ label }));
  quickPick.items = toItems(current);
  quickPick.selectedItems = quickPick.items;
  quickPick.show();
  const controller = new AbortController();
  void (async () => {
    const known = new Set(current);
    try {
      const client = await session.client();
      known.add(client.connectionInfo.namespace);
      const page = await client.listNamespaces({ limit: 500, signal: controller.signal });
      page.items.forEach((n) => known.add(n.name));
    } catch {
      quickPick.placeholder = 'Listing namespaces is not allowed here: type names separated by commas and press Enter';
    }
    const selected = new Set(quickPick.selectedItems.map((i) => i.label));
    quickPick.items = toItems(known);
    quickPick.selectedItems = quickPick.items.filter((i) => selected.has(i.label));
    quickPick.busy = false;
  })();
  const result = await new Promise<string[] | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      const typed = quickPick.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      resolve([...new Set([...quickPick.selectedItems.map((i) => i.label), ...typed])]);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  controller.abort();
  quickPick.dispose();
  if (result !== undefined) {
    await config.update(settingIds.namespaces, result, vscode.ConfigurationTarget.Global);
  }
}
