import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscodeApi from 'vscode';
import type { SaTokensApi } from '../../src/api';
import type { RequestTokenTesting } from '../../src/requestToken';
import { sandbox, waitFor, adminRequest } from './hostTestUtils';
export { sandbox, waitFor, adminRequest };

export const extensionId = 'kube-sa-tokens.kube-sa-tokens';

export async function activeApi(): Promise<SaTokensApi & { requestTokenTesting: RequestTokenTesting }> {
  const extension = vscodeApi.extensions.getExtension<SaTokensApi>(extensionId);
  if (extension === undefined) {
    throw new Error(`${extensionId} is not loaded`);
  }
  const api = await extension.activate();
  await api.ready;
  if (api.requestTokenTesting === undefined) {
    throw new Error('requestTokenTesting is missing: the host does not run the extension in test/development mode');
  }
  return api as SaTokensApi & { requestTokenTesting: RequestTokenTesting };
}

/** What a scripted answer sees: the prompt as the flow built it, with its items resolved. */
export { acceptPicked, after, back, button, cancel, pick, ScriptedPrompter, text, type Answer, type SeenMessage, type SeenPrompt } from '../fakes/scriptedPrompter';
import type { ScriptedPrompter } from '../fakes/scriptedPrompter';

export async function requestWith<T = unknown>(prompter: ScriptedPrompter, args?: unknown): Promise<T> {
  const api = await activeApi();
  api.requestTokenTesting.setPrompter(prompter);
  try {
    return (await vscodeApi.commands.executeCommand('saTokens.requestToken', args)) as T;
  } finally {
    api.requestTokenTesting.setPrompter(undefined);
  }
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Every file under `dir`, recursively (log files of this session). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}



