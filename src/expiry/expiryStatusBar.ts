import vscode = require('vscode');
import { commandIds, statusBarIds } from '../constants';
import { hiddenStatus } from '../core/expiry/expiryStatus';
import type { ExpiryStatus } from '../core/expiry/expiryStatus';
import { Disposable } from '../platform/disposable';

/**
 * The one status bar item for token expiry. Like git's statusbar.ts, it holds a readonly state record that
 * is replaced as a whole on every change; text, tooltip, colour and visibility are computed from it in one place.
 */
export class ExpiryStatusBar extends Disposable {
  private readonly _item: vscode.StatusBarItem;
  private _state: ExpiryStatus = hiddenStatus;
  private readonly _onDidChangeState = this._register(new vscode.EventEmitter<ExpiryStatus>());
  readonly onDidChangeState = this._onDidChangeState.event;

  constructor() {
    super();
    this._item = this._register(vscode.window.createStatusBarItem(statusBarIds.expiry, vscode.StatusBarAlignment.Left, 10));
    this._item.name = 'Service-Account Token Expiry';
    this._item.command = { command: commandIds.showTrackedTokens, title: 'Show Tracked Tokens' };
  }

  get state(): ExpiryStatus {
    return this._state;
  }

  set state(state: ExpiryStatus) {
    if (sameStatus(state, this._state)) {
      return;
    }
    this._state = state;
    this._render();
    this._onDidChangeState.fire(state);
  }

  private _render(): void {
    const state = this._state;
    if (!state.visible) {
      this._item.hide();
      return;
    }
    this._item.text = state.text;
    const tooltip = new vscode.MarkdownString(state.tooltip, true);
    tooltip.isTrusted = false;
    this._item.tooltip = tooltip;
    this._item.accessibilityInformation = { label: `Service-account token ${state.text.replace('$(key) ', '')}`, role: 'button' };
    this._item.backgroundColor = state.backgroundColorId === undefined ? undefined : new vscode.ThemeColor(state.backgroundColorId);
    this._item.show();
  }
}

function sameStatus(a: ExpiryStatus, b: ExpiryStatus): boolean {
  return a.visible === b.visible && a.text === b.text && a.tooltip === b.tooltip && a.backgroundColorId === b.backgroundColorId;
}
