import vscode = require('vscode');
import { tryDecodeToken } from '../core/token/decodeToken';

/** What is wrong with a paste, in the decoder's words; undefined when it decodes. */
function pasteProblem(text: string): string | undefined {
  const result = tryDecodeToken(text);
  return result.ok ? undefined : result.error.message;
}

/**
 * Asks for a token in an input box that says what is wrong with the paste (not three base64url parts,
 * a header that is not JSON…) and accepts only one that decodes, so a bad paste is fixed in place
 * instead of opening a tab. The value lives only in the box, which is disposed before this returns.
 */
export function askForToken(start?: { readonly value: string; readonly problem: string }): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = 'Decode Token';
  box.prompt = 'Paste a JWT (header.payload.signature). It is decoded locally; it is sent to the cluster only when you run a server check.';
  box.password = true;
  box.ignoreFocusOut = true;
  if (start !== undefined) {
    // Text from the clipboard or the selection that did not decode: fixed here, with what is wrong with it.
    box.value = start.value;
    box.validationMessage = start.problem;
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: string | undefined) => {
      if (!settled) {
        settled = true;
        resolve(value);
        listeners.forEach((l) => l.dispose());
        box.dispose();
      }
    };
    const listeners = [
      // An empty box is not an error yet: the user has not pasted anything.
      box.onDidChangeValue((text) => {
        box.validationMessage = text.trim() === '' ? undefined : pasteProblem(text);
      }),
      box.onDidAccept(() => {
        const problem = pasteProblem(box.value);
        if (problem !== undefined) {
          box.validationMessage = problem;
          return;
        }
        finish(box.value);
      }),
      box.onDidHide(() => finish(undefined)),
    ];
    box.show();
  });
}
