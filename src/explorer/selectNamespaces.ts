import vscode = require('vscode');
import { configSection, settingIds } from '../constants';
import type { ClusterSession } from '../platform/clusterSession';
import { selectNamespacesTitle } from '../core/kubernetes/namespaceSelection';

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
  quickPick.title = selectNamespacesTitle([...current]);
  // The title follows what is checked (not what was saved when the picker opened).
  quickPick.onDidChangeSelection((items) => (quickPick.title = selectNamespacesTitle(items.map((i) => i.label))));
  quickPick.placeholder = 'Pick namespaces, or type names separated by commas and press Enter';
  quickPick.canSelectMany = true;
  quickPick.busy = true;
  const toItems = (list: Iterable<string>, sort = true) => {
    const unique = [...new Set(list)];
    return (sort ? unique.sort() : unique).map((label) => ({ label }));
  };
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
    // The checked ones first, in the same places: the workbench keeps checks by position when the items
    // change, and reports them back before it applies `selectedItems` (another order checked the wrong names).
    const first = quickPick.items.filter((i) => selected.has(i.label)).map((i) => i.label);
    quickPick.items = toItems([...first, ...[...known].filter((n) => !selected.has(n)).sort()], false).map((i) => (selected.has(i.label) ? { ...i, picked: true } : i));
    quickPick.selectedItems = quickPick.items.filter((i) => selected.has(i.label));
    quickPick.title = selectNamespacesTitle([...selected]);
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
