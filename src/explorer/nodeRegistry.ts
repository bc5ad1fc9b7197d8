import { rootKey, type AccountNode } from './accountNodes';

/**
 * The instance of each node last handed out, by key. VS Code tracks tree elements by identity, so a node
 * passed back (collapse, reveal, a command) is mapped to the current instance, and parents are found by key.
 */
export class NodeRegistry {
  private readonly _nodes = new Map<string, AccountNode>();

  remember(nodes: readonly AccountNode[]): void {
    for (const node of nodes) {
      this._nodes.set(node.key, node);
    }
  }

  get(key: string): AccountNode | undefined {
    return this._nodes.get(key);
  }

  canonical<T extends AccountNode>(node: T): T {
    return (this._nodes.get(node.key) as T | undefined) ?? node;
  }

  parentOf(node: AccountNode): AccountNode | undefined {
    const parentKey = this.canonical(node).parentKey;
    return parentKey === undefined || parentKey === rootKey ? undefined : this._nodes.get(parentKey);
  }

  /** Whether `key` is `ancestor` or lies below it (walking the parent chain of handed-out nodes). */
  isAtOrBelow(key: string, ancestor: string): boolean {
    let current: string | undefined = key;
    // The tree is four levels deep; the bound only guards against a cycle from a bug.
    for (let depth = 0; current !== undefined && depth < 10; depth++) {
      if (current === ancestor) {
        return true;
      }
      current = this._nodes.get(current)?.parentKey;
    }
    return false;
  }
}
