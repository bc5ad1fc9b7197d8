/** What Select Namespaces (the `saTokens.namespaces` setting) shows, for the pickers that follow it. */

/** The Select Namespaces picker's title for the namespaces checked so far. */
export function selectNamespacesTitle(selected: readonly string[]): string {
  const count = new Set(selected).size;
  return count === 0 ? 'Select Namespaces (none selected: show all)' : `Select Namespaces (${count} selected: ${[...new Set(selected)].sort().join(', ')})`;
}

/** Whether the selection hides `namespace` from the tree (an empty selection shows every namespace). */
export function hiddenBySelection(selected: readonly string[], namespace: string): boolean {
  return selected.length > 0 && !selected.includes(namespace);
}

/** The selection with `namespace` added (kept in the order the user made it). */
export function withNamespaceShown(selected: readonly string[], namespace: string): string[] {
  return selected.includes(namespace) ? [...selected] : [...selected, namespace];
}

/** The message Go to Service Account shows when the account's namespace is not selected. */
export function hiddenAccountMessage(namespace: string, name: string, selected: readonly string[]): string {
  return `Service account ${namespace}/${name} is not in the tree: Select Namespaces shows only ${selected.join(', ')}. Show namespace ${namespace} too?`;
}
