import * as vscode from 'vscode';
import type { SaTokensFeaturesApi } from './api';
import { setFeatureHost, type FeatureHost } from './platform/featureHost';
import { KubeClusterSession } from './platform/kubeClusterSession';
import { Log } from './platform/log';
import { createSecretTokenStore } from './platform/secretTokenStore';
import { registerRequestToken } from './ui/requestToken/registerRequestToken';
import { registerExplorer } from './ui/explorer/registerExplorer';
import { registerExpiry } from './ui/expiry/registerExpiry';
import { clusterAccessFrom } from './webview/inspectorCluster';
import { registerInspector } from './webview/tokenInspector';

/**
 * Composition root of the features bundle (dist/features.js), loaded by the activation shell on first
 * use: builds the shared services, hands them to each feature's `register*` function and keeps every
 * disposable in `context.subscriptions`. No feature logic lives here.
 */
export function activateFeatures(context: vscode.ExtensionContext, host: FeatureHost): SaTokensFeaturesApi {
  setFeatureHost(host);
  const log = new Log('SA Tokens');
  context.subscriptions.push(log);
  const testHooks = context.extensionMode !== vscode.ExtensionMode.Production;

  // ── shared services ──
  // Loads nothing until first used (the kube module and kubeconfig load on the first client()/whenLoaded()).
  const session = new KubeClusterSession({ log });
  context.subscriptions.push(session);
  // Issued tokens: SecretStorage + a token-free index in globalState; shared by the tree, inspector and status bar.
  const tokenStore = createSecretTokenStore(context, (message, error) => log.error(message, error));
  context.subscriptions.push(tokenStore);

  // ── features ──
  const requestTokenTesting = registerRequestToken(context, { session, store: tokenStore, log });
  const inspector = registerInspector(context, { log, clusters: clusterAccessFrom(session), store: tokenStore });
  // Status bar countdown, warnings, renewal; the kube module loads only when a renewal actually runs.
  const expiry = registerExpiry(context, { store: tokenStore, session, log, testHooks });
  const explorer = registerExplorer(context, { session, tokenStore, log });

  const tokens = { onDidChange: tokenStore.onDidChange, list: () => tokenStore.list() };
  return { inspector, explorer, tokens, expiry, ...(testHooks ? { requestTokenTesting } : {}) };
}
