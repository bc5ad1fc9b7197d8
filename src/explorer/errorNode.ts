import { isTokenError } from '../core/errors';
import type { ActionNode, ErrorAction, ErrorNode } from './accountNodes';

const byCode: Record<string, { title: string; actions: ErrorAction[] }> = {
  ERR_KUBECONFIG_MISSING: { title: 'No kubeconfig', actions: ['pickKubeconfigFile', 'retry'] },
  ERR_KUBECONFIG_INVALID: { title: 'Kubeconfig problem', actions: ['openKubeconfig', 'pickKubeconfigFile', 'retry'] },
  ERR_CONTEXT_NOT_FOUND: { title: 'Context problem', actions: ['switchContext', 'openKubeconfig', 'retry'] },
  ERR_UNREACHABLE: { title: 'Cannot reach the API server', actions: ['retry', 'switchContext', 'openKubeconfig'] },
  ERR_TIMEOUT: { title: 'Request timed out', actions: ['retry', 'switchContext', 'openKubeconfig'] },
  ERR_TLS: { title: 'TLS error', actions: ['retry', 'openKubeconfig', 'switchContext'] },
  ERR_UNAUTHORIZED: { title: 'Unauthorized: credentials rejected', actions: ['retry', 'openKubeconfig', 'switchContext'] },
  ERR_EXEC_PLUGIN: { title: 'Credential plugin failed', actions: ['retry', 'openKubeconfig', 'switchContext'] },
  ERR_FORBIDDEN: { title: 'Forbidden', actions: ['retry', 'switchContext', 'selectNamespaces'] },
  ERR_TOO_MANY_REQUESTS: { title: 'Too many requests', actions: ['retry'] },
  ERR_SERVER: { title: 'API server error', actions: ['retry', 'switchContext'] },
};

/** One error item for a failed load under `parentKey`: a title by code, the server's reason, and actions. */
export function errorNode(parentKey: string, error: unknown): ErrorNode {
  const code = isTokenError(error) ? error.code : 'ERR_UNKNOWN';
  const entry = byCode[code] ?? { title: 'Request failed', actions: ['retry', 'switchContext'] };
  const message = error instanceof Error || isTokenError(error) ? (error as Error).message : String(error);
  const hint = isTokenError(error) ? error.hint : undefined;
  return {
    kind: 'error',
    key: `err:${parentKey}`,
    parentKey,
    code,
    title: entry.title,
    message,
    ...(hint === undefined ? {} : { hint }),
    actions: entry.actions,
  };
}

export function actionNodes(node: ErrorNode): ActionNode[] {
  return node.actions.map((action) => ({ kind: 'action', key: `${node.key}:${action}`, parentKey: node.key, action }));
}
