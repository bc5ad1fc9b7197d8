import type * as vscode from 'vscode';
import type { SaTokensApi, SaTokensFeaturesApi } from './api';
import { stateKeys } from './constants';
import { ActivationShell } from './platform/activationShell';

/**
 * Activation only registers stand-ins (see ActivationShell); the features bundle loads on first use,
 * or at once when tokens are already stored, so that the status bar can count them down.
 */
export function activate(context: vscode.ExtensionContext): SaTokensApi {
  const shell = new ActivationShell<SaTokensFeaturesApi>(context);
  const storedTokens = context.globalState.get<unknown[]>(stateKeys.tokenIndex);
  if (Array.isArray(storedTokens) && storedTokens.length > 0) {
    void shell.load();
  }
  // Another window issuing or forgetting a token must show up here too.
  context.subscriptions.push(context.secrets.onDidChange(() => void shell.load()));
  return {
    get ready() {
      return shell.load().then(() => undefined);
    },
    get tokens() {
      return shell.api.tokens;
    },
    get explorer() {
      return shell.api.explorer;
    },
    get inspector() {
      return shell.api.inspector;
    },
    get expiry() {
      return shell.api.expiry;
    },
    get requestTokenTesting() {
      return shell.api.requestTokenTesting;
    },
  };
}

export function deactivate(): void {}
