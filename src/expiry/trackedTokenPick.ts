import vscode = require('vscode');
import type { TrackedTokenItem } from '../core/expiry/trackedTokenItems';
import type { PromptButton, Prompter } from '../platform/prompter';

/** What the user chose in the tracked-tokens pick: open the row, or one of its buttons. */
export interface TrackedTokenChoice {
  readonly id: string;
  readonly action: 'open' | 'renew' | 'toggleAutoRenew';
}

const renewButton: PromptButton = { id: 'renew', icon: 'refresh', tooltip: 'Renew' };
const autoRenewOnButton: PromptButton = { id: 'toggleAutoRenew', icon: 'history', tooltip: 'Turn On Auto-Renew' };
const autoRenewOffButton: PromptButton = { id: 'toggleAutoRenew', icon: 'circle-slash', tooltip: 'Turn Off Auto-Renew' };

/** The "Tracked Service-Account Tokens" pick, soonest expiry first, with Renew and Auto-Renew on each row. */
export async function pickTrackedToken(prompter: Prompter, items: readonly TrackedTokenItem[]): Promise<TrackedTokenChoice | undefined> {
  const cancellation = new vscode.CancellationTokenSource();
  try {
    const answer = await prompter.pick<string>({
      id: 'trackedTokens',
      title: 'Tracked Service-Account Tokens',
      placeholder: 'Soonest expiry first. Select a token to inspect it.',
      showBack: false,
      ignoreFocusOut: false,
      matchOnDescription: true,
      matchOnDetail: true,
      items: items.map((item) => ({
        label: item.label,
        description: item.description,
        detail: item.detail,
        value: item.id,
        buttons: [renewButton, item.autoRenew ? autoRenewOffButton : autoRenewOnButton],
      })),
    }, cancellation.token);
    if (answer.kind === 'pick' && answer.items[0]?.value !== undefined) {
      return { id: answer.items[0].value, action: 'open' };
    }
    if (answer.kind === 'itemButton' && answer.item.value !== undefined) {
      return { id: answer.item.value, action: answer.id === renewButton.id ? 'renew' : 'toggleAutoRenew' };
    }
    return undefined;
  } finally {
    cancellation.dispose();
  }
}
