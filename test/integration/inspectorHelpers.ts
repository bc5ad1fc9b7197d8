import * as vscode from 'vscode';
import type { SaTokensApi } from '../../src/api';
import type { TokenPanelState } from '../../src/inspector/tokenPanel';
import type { Prompter } from '../../src/platform/prompter';
import { neverCancelled } from '../fakes/scriptedPrompter';
export { admin, mintToken, sandboxInfo } from './inspectorSandbox';
import { holdsFor, waitFor } from './hostTestUtils';
export { holdsFor, waitFor };

/** Shared by the inspector integration suites: sandbox admin calls and panel waits. */

export async function activateApi(): Promise<SaTokensApi> {
  const extension = vscode.extensions.getExtension<SaTokensApi>('kube-sa-tokens.kube-sa-tokens');
  if (extension === undefined) {
    throw new Error('extension not loaded');
  }
  const api = await extension.activate();
  await api.ready;
  return api;
}


export function panel(api: SaTokensApi, key: string): TokenPanelState | undefined {
  return api.inspector.panels().find((p) => p.key === key);
}

/** Decodes through the real command; returns the panel key once its signature state is final. */
export async function decode(api: SaTokensApi, arg: unknown): Promise<TokenPanelState> {
  const key = await vscode.commands.executeCommand<string | undefined>('saTokens.decodeToken', arg);
  if (key === undefined) {
    throw new Error('decodeToken returned no panel');
  }
  await api.inspector.settled(key);
  const state = panel(api, key);
  if (state === undefined) {
    throw new Error(`no panel ${key}`);
  }
  return state;
}

export async function closeAllPanels(api: SaTokensApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('all inspector panels disposed', () => api.inspector.panels().length === 0 || undefined);
}

/** Answers the Request Token wizard at Review with "Request token"; dismisses its messages. */
export const requestPrompter: Prompter = {
  async pick(prompt) {
    if (prompt.id !== 'review' || typeof prompt.items === 'function') {
      return { kind: 'cancel' };
    }
    const request = prompt.items.find((i) => (i.value as unknown) === 'request');
    return request === undefined ? { kind: 'cancel' } : { kind: 'pick', items: [request] };
  },
  async input() {
    return { kind: 'cancel' };
  },
  async message() {
    return undefined;
  },
  status() {
    // confirmations need no answer
  },
  progress(_title, task) {
    return task(neverCancelled);
  },
};
