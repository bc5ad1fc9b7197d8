import { homedir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { CopySubject } from '../core/kubectl/copyAs';
import { writePrivateFile } from './privateFile';

/** `vscode.window.showSaveDialog`, or a test's answer to it. */
export type SaveDialog = (options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined>;

/**
 * Saves a kubeconfig holding a token to a file the user picks, readable only by them, and says where
 * it went. Never through an editor: an untitled document is backed up in plain text by hot exit and
 * restored after a restart, long after the token was forgotten. Resolves with the notes for the page,
 * or undefined when the user cancelled (nothing is written then).
 */
export async function saveKubeconfig(text: string, subject: CopySubject, showSaveDialog: SaveDialog): Promise<readonly string[] | undefined> {
  const name = subject.serviceAccount !== undefined ? `${subject.namespace ?? 'token'}-${subject.serviceAccount}.kubeconfig` : 'token.kubeconfig';
  const uri = await showSaveDialog({
    title: 'Save Kubeconfig (it holds the token)',
    saveLabel: 'Save Kubeconfig',
    defaultUri: vscode.Uri.file(join(homedir(), name)),
    filters: { Kubeconfig: ['kubeconfig', 'yaml', 'yml'], 'All files': ['*'] },
  });
  if (uri === undefined) {
    return undefined;
  }
  if (uri.scheme !== 'file') {
    throw new Error(`Cannot save the kubeconfig to ${uri.toString(true)}: pick a file on the disk of the machine the extension runs on.`);
  }
  const file = uri.fsPath;
  const mode = await writePrivateFile(file, text);
  const where = `Saved to ${file}, readable only by you (mode ${mode.toString(8).padStart(4, '0')}).`;
  void vscode.window.showInformationMessage(`Kubeconfig with the token saved to ${file}, readable only by you. Anyone who can read the file can use the token until it expires: delete it when you are done.`);
  return [where, 'Delete the file when you are done: the token works until it expires.'];
}
