import vscode = require('vscode');
import type { SaTokensApi } from './api';
import { productName } from './constants';
import * as expiry from './expiry';
import * as explorer from './explorer';
import * as inspector from './inspector';
import { contextKeyValues } from './platform/contextKey';
import { KubeClusterSession } from './platform/kubeClusterSession';
import { Log } from './platform/log';
import { createSecretTokenStore } from './platform/extensionTokenStore';
import * as requestToken from './requestToken';
import type { Services } from './services';

/**
 * The composition root: builds the shared services and registers each feature with them. Nothing
 * here contacts a cluster; @kubernetes/client-node loads on the first cluster call (see kubeLoader).
 */
export function activate(context: vscode.ExtensionContext): SaTokensApi {
  const log = new Log(vscode.window.createOutputChannel(productName, { log: true }));
  const session = new KubeClusterSession({ log });
  const tokenStore = createSecretTokenStore(context, (message, error) => log.error(message, error));
  context.subscriptions.push(log, session, tokenStore);
  const services: Services = { session, tokenStore, log, testHooks: context.extensionMode !== vscode.ExtensionMode.Production };

  // Service Accounts view: the tree, its commands and the read-only YAML documents.
  const explorerApi = explorer.register(context, services);
  // Request Token wizard, Copy Token, Forget Token, Forget All Tokens.
  const requestTokenTesting = requestToken.register(context, services);
  // Token Inspector: decode, verify, server checks, Copy As.
  const inspectorApi = inspector.register(context, services);
  // Status bar countdown, expiry warnings, renewal and auto-renew.
  const expiryApi = expiry.register(context, services);

  return {
    ready: Promise.resolve(),
    tokens: { onDidChange: tokenStore.onDidChange, list: () => tokenStore.list() },
    explorer: explorerApi,
    inspector: inspectorApi,
    expiry: expiryApi,
    ...(services.testHooks ? { requestTokenTesting, contextKeys: contextKeyValues } : {}),
  };
}

export function deactivate(): void {}
