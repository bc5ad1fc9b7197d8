import vscode = require('vscode');

/** How long a confirmation stays in the status bar: long enough to read, gone before it is stale. */
export const statusMessageMs = 4000;

/** A transient confirmation in the status bar (where VS Code's own extensions say "Copied"); needs no action. */
export function showStatusMessage(text: string): void {
  vscode.window.setStatusBarMessage(text, statusMessageMs);
}
