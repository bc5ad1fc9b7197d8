import vscode = require('vscode');
import type { FlowAnswer, InputAnswer, InputPrompt, MessageOptions, MessageSeverity, PickAnswer, PickPrompt, ProgressOptions, Prompter, PromptButton, PromptItem } from './prompter';
import { describeError } from '../core/logLine';
import { showStatusMessage } from './statusMessage';

type Row<T> = vscode.QuickPickItem & { readonly source?: PromptItem<T> };

function toButtons(showBack: boolean, buttons: readonly PromptButton[] = []): { list: vscode.QuickInputButton[]; ids: Map<vscode.QuickInputButton, string> } {
  const ids = new Map<vscode.QuickInputButton, string>();
  const list: vscode.QuickInputButton[] = showBack ? [vscode.QuickInputButtons.Back] : [];
  for (const b of buttons) {
    const button = toQuickInputButton(b);
    ids.set(button, b.id);
    list.push(button);
  }
  return { list, ids };
}

function toQuickInputButton(button: PromptButton): vscode.QuickInputButton & { readonly id: string } {
  return { iconPath: new vscode.ThemeIcon(button.icon), tooltip: button.tooltip, id: button.id };
}

function toRow<T>(item: PromptItem<T>): Row<T> {
  if (item.kind === 'separator') {
    return { label: item.label, kind: vscode.QuickPickItemKind.Separator };
  }
  return {
    label: item.disabledReason !== undefined ? `$(circle-slash) ${item.label}` : item.label,
    ...(item.description !== undefined ? { description: item.description } : {}),
    ...(item.disabledReason !== undefined ? { detail: item.disabledReason } : item.detail !== undefined ? { detail: item.detail } : {}),
    ...(item.picked === true ? { picked: true } : {}),
    ...(item.alwaysShow === true ? { alwaysShow: true } : {}),
    ...(item.buttons !== undefined ? { buttons: item.buttons.map(toQuickInputButton) } : {}),
    source: item,
  };
}

/**
 * The production Prompter: one `createQuickPick`/`createInputBox` per step, with "step x of y",
 * a Back button, and Esc (hide) resolving as cancel. `ignoreFocusOut` keeps the flow open while the
 * user copies the kubectl command or glances at the tree.
 */
export class QuickInputPrompter implements Prompter {
  pick<T>(prompt: PickPrompt<T>, token: vscode.CancellationToken): Promise<PickAnswer<T>> {
    const disposables: vscode.Disposable[] = [];
    const qp = vscode.window.createQuickPick<Row<T>>();
    disposables.push(qp);
    qp.title = prompt.title;
    qp.step = prompt.step;
    qp.totalSteps = prompt.totalSteps;
    qp.placeholder = prompt.placeholder;
    qp.canSelectMany = prompt.canPickMany === true;
    qp.matchOnDescription = prompt.matchOnDescription ?? true;
    qp.matchOnDetail = prompt.matchOnDetail ?? false;
    qp.ignoreFocusOut = prompt.ignoreFocusOut ?? true;
    if (prompt.value !== undefined) {
      qp.value = prompt.value;
    }
    const { list, ids } = toButtons(prompt.showBack, prompt.buttons);
    qp.buttons = list;
    return new Promise<PickAnswer<T>>((resolve) => {
      let settled = false;
      const settle = (answer: PickAnswer<T>) => {
        if (!settled) {
          settled = true;
          resolve(answer);
          for (const d of disposables) {
            d.dispose();
          }
        }
      };
      const show = (items: readonly PromptItem<T>[]) => {
        const rows = items.map(toRow);
        qp.items = rows;
        const picked = rows.filter((r) => r.picked === true);
        if (qp.canSelectMany) {
          qp.selectedItems = picked;
        } else if (picked.length > 0) {
          qp.activeItems = [picked[0]!];
        }
        qp.busy = false;
        qp.enabled = true;
      };
      disposables.push(
        qp.onDidTriggerButton((b) => settle(b === vscode.QuickInputButtons.Back ? { kind: 'back' } : { kind: 'button', id: ids.get(b) ?? '' })),
        qp.onDidAccept(() => {
          const chosen = (qp.canSelectMany ? qp.selectedItems : qp.activeItems).flatMap((r) => (r.source === undefined ? [] : [r.source]));
          if (!qp.canSelectMany && chosen.length === 0) {
            return;
          }
          settle({ kind: 'pick', items: chosen, filter: qp.value });
        }),
        qp.onDidTriggerItemButton((e) => {
          if (e.item.source !== undefined) {
            settle({ kind: 'itemButton', item: e.item.source, id: (e.button as { id?: string }).id ?? '' });
          }
        }),
        qp.onDidHide(() => settle({ kind: 'cancel' })),
        token.onCancellationRequested(() => settle({ kind: 'cancel' })),
      );
      if (typeof prompt.items === 'function') {
        qp.busy = true;
        qp.enabled = false;
        prompt.items(token).then(show, (e: unknown) => {
          qp.busy = false;
          qp.enabled = true;
          qp.placeholder = `Could not load the list: ${describeError(e)}`;
        });
      } else {
        show(prompt.items);
      }
      qp.show();
    });
  }

  input(prompt: InputPrompt, token: vscode.CancellationToken): Promise<InputAnswer> {
    const disposables: vscode.Disposable[] = [];
    const box = vscode.window.createInputBox();
    disposables.push(box);
    box.title = prompt.title;
    box.step = prompt.step;
    box.totalSteps = prompt.totalSteps;
    box.value = prompt.value ?? '';
    box.prompt = prompt.prompt;
    box.placeholder = prompt.placeholder;
    box.ignoreFocusOut = prompt.ignoreFocusOut ?? true;
    const { list, ids } = toButtons(prompt.showBack, prompt.buttons);
    box.buttons = list;
    return new Promise<InputAnswer>((resolve) => {
      let settled = false;
      const settle = (answer: InputAnswer | FlowAnswer) => {
        if (!settled) {
          settled = true;
          resolve(answer);
          for (const d of disposables) {
            d.dispose();
          }
        }
      };
      const validate = (value: string) => {
        box.validationMessage = prompt.validate?.(value);
      };
      // No error before the user types: a box opens with its prompt, and Enter or typing shows problems.
      disposables.push(
        box.onDidChangeValue(validate),
        box.onDidTriggerButton((b) => settle(b === vscode.QuickInputButtons.Back ? { kind: 'back' } : { kind: 'button', id: ids.get(b) ?? '' })),
        box.onDidAccept(() => {
          const problem = prompt.validate?.(box.value);
          if (problem !== undefined) {
            box.validationMessage = problem;
            return;
          }
          settle({ kind: 'text', text: box.value });
        }),
        box.onDidHide(() => settle({ kind: 'cancel' })),
        token.onCancellationRequested(() => settle({ kind: 'cancel' })),
      );
      box.show();
    });
  }

  async message(severity: MessageSeverity, text: string, options: MessageOptions, actions: readonly string[]): Promise<string | undefined> {
    const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const opts: vscode.MessageOptions = { ...(options.modal === true ? { modal: true } : {}), ...(options.detail !== undefined ? { detail: options.detail } : {}) };
    return show(text, opts, ...actions);
  }

  status(text: string): void {
    showStatusMessage(text);
  }

  progress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>, options: ProgressOptions = {}): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: options.cancellable === true }, (_progress, token) => task(token)));
  }
}
