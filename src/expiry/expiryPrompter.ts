import * as vscode from 'vscode';
import type { TrackedTokenItem } from '../core/expiry/trackedTokenItems';

/** What the user chose in the tracked-tokens pick: open the row, or one of its buttons. */
export interface TrackedTokenChoice {
  readonly id: string;
  readonly action: 'open' | 'renew' | 'toggleAutoRenew';
}

/**
 * The expiry feature's pop-ups, behind an interface so integration tests (which cannot click notifications)
 * can substitute a scripted one through the API's test hook.
 */
export interface ExpiryPrompter {
  notify(severity: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Thenable<string | undefined>;
  pickToken(items: readonly TrackedTokenItem[]): Promise<TrackedTokenChoice | undefined>;
}

const renewButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('refresh'), tooltip: 'Renew' };
const autoRenewOnButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('sync'), tooltip: 'Turn On Auto-Renew' };
const autoRenewOffButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('sync-ignored'), tooltip: 'Turn Off Auto-Renew' };

type PickItem = vscode.QuickPickItem & { readonly id: string };

export const vscodePrompter: ExpiryPrompter = {
  notify(severity, message, ...actions) {
    switch (severity) {
      case 'info':
        return vscode.window.showInformationMessage(message, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(message, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(message, ...actions);
    }
  },

  pickToken(items) {
    return new Promise<TrackedTokenChoice | undefined>((resolve) => {
      const pick = vscode.window.createQuickPick<PickItem>();
      pick.title = 'Tracked Service-Account Tokens';
      pick.placeholder = 'Soonest expiry first. Select a token to inspect it.';
      pick.matchOnDescription = true;
      pick.matchOnDetail = true;
      pick.items = items.map((item) => ({
        id: item.id,
        label: item.label,
        description: item.description,
        detail: item.detail,
        buttons: [renewButton, item.autoRenew ? autoRenewOffButton : autoRenewOnButton],
      }));
      let settled = false;
      const finish = (choice: TrackedTokenChoice | undefined) => {
        if (!settled) {
          settled = true;
          resolve(choice);
          pick.dispose();
        }
      };
      pick.onDidAccept(() => {
        const selected = pick.selectedItems[0];
        finish(selected === undefined ? undefined : { id: selected.id, action: 'open' });
      });
      pick.onDidTriggerItemButton((e) => finish({ id: e.item.id, action: e.button === renewButton ? 'renew' : 'toggleAutoRenew' }));
      pick.onDidHide(() => finish(undefined));
      pick.show();
    });
  },
};
