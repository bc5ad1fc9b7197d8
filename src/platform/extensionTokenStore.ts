import * as vscode from 'vscode';
import { configSection, settingIds } from '../constants';
import { SecretTokenStore } from './secretTokenStore';

/**
 * The extension's store: SecretStorage + globalState of the extension context, settings read live.
 * Turning `saTokens.sessionOnlyTokens` on moves stored tokens out of SecretStorage into memory;
 * changing the grace period re-runs pruning.
 */
export function createSecretTokenStore(context: vscode.ExtensionContext, onError?: (message: string, error: unknown) => void): SecretTokenStore {
  const config = () => vscode.workspace.getConfiguration(configSection);
  const store = new SecretTokenStore({
    secrets: context.secrets,
    state: context.globalState,
    sessionOnly: () => config().get<boolean>(settingIds.sessionOnlyTokens) === true,
    graceMinutes: () => {
      const minutes = config().get<number>(settingIds.expiredTokenGraceMinutes);
      return typeof minutes === 'number' && Number.isFinite(minutes) ? minutes : 60;
    },
    ...(onError !== undefined ? { onError } : {}),
  });
  const listener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${configSection}.${settingIds.sessionOnlyTokens}`) && config().get<boolean>(settingIds.sessionOnlyTokens) === true) {
      store.moveToSession().catch((err: unknown) => onError?.('Could not move stored tokens to memory', err));
    }
    if (e.affectsConfiguration(`${configSection}.${settingIds.expiredTokenGraceMinutes}`)) {
      store.prune().catch((err: unknown) => onError?.('Could not prune expired tokens', err));
    }
  });
  const dispose = store.dispose.bind(store);
  store.dispose = () => {
    listener.dispose();
    dispose();
  };
  return store;
}
