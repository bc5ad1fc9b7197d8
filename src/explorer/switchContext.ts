import vscode = require('vscode');
import type { ClusterSession } from '../platform/clusterSession';

/**
 * Switch Context: the extension's active context only (the kubeconfig's current-context is left alone).
 * With `name` (tests, other features) no picker is shown.
 */
export async function switchContext(session: ClusterSession & { whenLoaded?(): Promise<void> }, name?: string): Promise<void> {
  await session.whenLoaded?.();
  if (name !== undefined) {
    await session.useContext(name);
    return;
  }
  const snapshot = session.kubeconfig;
  if (snapshot === undefined) {
    throw session.loadError ?? new Error('No kubeconfig is loaded.');
  }
  const active = session.activeContext;
  const items = snapshot.contexts.map((c) => ({
    label: c.name,
    description: [c.name === active ? 'active' : undefined, c.name === snapshot.currentContext ? 'current-context' : undefined, c.namespace === undefined ? undefined : `ns ${c.namespace}`]
      .filter((s) => s !== undefined)
      .join(' · '),
    detail: c.problem ?? c.server,
    ...(c.name === active ? { picked: true } : {}),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Switch Context (for this extension only; your kubeconfig is not changed)',
    placeHolder: 'Pick a context',
    matchOnDetail: true,
  });
  if (picked !== undefined) {
    await session.useContext(picked.label);
  }
}
