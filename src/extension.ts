import * as vscode from 'vscode';
import type { SaTokensApi } from './api';
import { KubeClusterSession } from './platform/kubeClusterSession';
import { Log } from './platform/log';
import { registerExplorer } from './ui/explorer/registerExplorer';

/**
 * Composition root: builds the shared services, hands them to each feature's `register*` function and
 * keeps every disposable in `context.subscriptions`. No feature logic lives here.
 */
export function activate(context: vscode.ExtensionContext): SaTokensApi {
  const log = new Log('SA Tokens');
  context.subscriptions.push(log);

  // ── shared services ──
  // Loads nothing until first used (the kube module and kubeconfig load on the first client()/whenLoaded()).
  const session = new KubeClusterSession({ log });
  context.subscriptions.push(session);

  // ── features ──
  const explorer = registerExplorer(context, { session, log });
  const ready = Promise.resolve();

  return { ready, explorer };
}

export function deactivate(): void {}
