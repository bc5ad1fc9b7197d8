import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SaTokensApi } from '../../src/api';
import type { AccountNode } from '../../src/explorer/accountNodes';
import { extensionId } from '../../src/constants';

/** Where the runner finds what the extension shows through its API, to scan it for tokens. */
export const uiSurfacesFileName = 'ui-surfaces.json';

interface UiSurfaces {
  tree: unknown[];
  view: unknown;
  inspectorPanels: unknown[];
  tokens: unknown[];
  error?: string;
}

const maxDepth = 4;
const maxNodes = 2000;

/** Tree labels and tooltips, the view's messages, inspector pages and the token list, as the extension holds them now. */
export async function dumpUiSurfaces(file: string): Promise<void> {
  const surfaces: UiSurfaces = { tree: [], view: undefined, inspectorPanels: [], tokens: [] };
  try {
    const api = await vscode.extensions.getExtension<SaTokensApi>(extensionId)!.activate();
    surfaces.view = api.explorer.view;
    surfaces.inspectorPanels = api.inspector.panels();
    surfaces.tokens = [...api.tokens.list()];
    const visit = async (node: AccountNode | undefined, depth: number): Promise<void> => {
      for (const child of await api.explorer.getChildren(node)) {
        if (surfaces.tree.length >= maxNodes) {
          return;
        }
        const item = api.explorer.getTreeItem(child);
        surfaces.tree.push(item);
        if (depth < maxDepth && item.collapsible !== 'none') {
          await visit(child, depth + 1);
        }
      }
    };
    await Promise.race([visit(undefined, 0), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  } catch (error) {
    surfaces.error = String(error);
  }
  writeFileSync(file, JSON.stringify(surfaces, null, 1));
}
