import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import vscode = require('vscode');
import { configSection, settingIds, storageFolders } from '../constants';
import { SecretTokenStore } from './secretTokenStore';

/** The token ledger's folder: under globalStorageUri, which every window of the profile shares. */
export function tokenLedgerDir(context: vscode.ExtensionContext): string {
  return join(context.globalStorageUri.fsPath, storageFolders.tokenLedger);
}

/**
 * The extension's store: the extension context's SecretStorage, its token ledger under globalStorageUri
 * (globalState only for migrating what earlier versions kept there), settings read live. Turning
 * `saTokens.sessionOnlyTokens` on moves stored tokens out of SecretStorage into memory (the store also
 * does at start-up and before each write); changing the grace period re-runs pruning.
 * `sessionOnly` replaces the setting's reader (tests: a window that starts with the setting on).
 */
export function createSecretTokenStore(
  context: vscode.ExtensionContext,
  onError?: (message: string, error: unknown) => void,
  overrides: { readonly sessionOnly?: () => boolean } = {},
): SecretTokenStore {
  const config = () => vscode.workspace.getConfiguration(configSection);
  const sessionOnly = overrides.sessionOnly ?? (() => config().get<boolean>(settingIds.sessionOnlyTokens) === true);
  const ledgerDir = tokenLedgerDir(context);
  // The watcher needs the folder to exist; it tells of other windows' changes even where SecretStorage is
  // per window (a browser-hosted workbench keeps it in memory) and the change events do not cross windows.
  try {
    mkdirSync(ledgerDir, { recursive: true });
  } catch (e) {
    onError?.('Could not create the token ledger folder', e);
  }
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(ledgerDir), '*'));
  const ledgerChanges: vscode.Event<unknown> = (listener, thisArgs, disposables) => {
    const subscriptions = [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete].map((event) => event(listener, thisArgs));
    const subscription = vscode.Disposable.from(...subscriptions);
    disposables?.push(subscription);
    return subscription;
  };
  const store = new SecretTokenStore({
    secrets: context.secrets,
    state: context.globalState,
    ledgerDir,
    ledgerChanges,
    sessionOnly,
    graceMinutes: () => {
      const minutes = config().get<number>(settingIds.expiredTokenGraceMinutes);
      return typeof minutes === 'number' && Number.isFinite(minutes) ? minutes : 60;
    },
    ...(onError !== undefined ? { onError } : {}),
  });
  const listener = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${configSection}.${settingIds.sessionOnlyTokens}`) && sessionOnly()) {
      store.moveToSession().catch((err: unknown) => onError?.('Could not move stored tokens to memory', err));
    }
    if (e.affectsConfiguration(`${configSection}.${settingIds.expiredTokenGraceMinutes}`)) {
      store.prune().catch((err: unknown) => onError?.('Could not prune expired tokens', err));
    }
  });
  const dispose = store.dispose.bind(store);
  store.dispose = () => {
    listener.dispose();
    watcher.dispose();
    dispose();
  };
  return store;
}
