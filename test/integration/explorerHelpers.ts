import * as https from 'node:https';
import * as vscode from 'vscode';
import type { SaTokensApi } from '../../src/api';
import type { ExplorerApi, TreeItemData } from '../../src/ui/explorer/explorerApi';
import type { AccountNode } from '../../src/ui/tree/accountNodes';
import { readSandboxEnv, type SandboxInfo } from '../harness/sandboxEnv';

export const extensionId = 'kube-sa-tokens.kube-sa-tokens';

export async function explorerApi(): Promise<ExplorerApi> {
  const extension = vscode.extensions.getExtension<SaTokensApi>(extensionId);
  if (extension === undefined) {
    throw new Error(`${extensionId} is not loaded`);
  }
  const api = await extension.activate();
  await api.ready;
  return api.explorer;
}

export function sandbox(): SandboxInfo {
  return readSandboxEnv();
}

/** Polls until `check` returns a value (not undefined), or fails with the last observation. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('saTokens').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Children with their TreeItems, for compact assertions. */
export async function rows(explorer: ExplorerApi, node?: AccountNode): Promise<Array<{ node: AccountNode; item: TreeItemData }>> {
  const nodes = await explorer.getChildren(node);
  return nodes.map((n) => ({ node: n, item: explorer.getTreeItem(n) }));
}

export async function labels(explorer: ExplorerApi, node?: AccountNode): Promise<string[]> {
  return (await rows(explorer, node)).map((r) => r.item.label);
}

export async function child(explorer: ExplorerApi, parent: AccountNode | undefined, label: string): Promise<AccountNode> {
  const found = (await rows(explorer, parent)).find((r) => r.item.label === label);
  if (found === undefined) {
    throw new Error(`No child "${label}" under ${parent?.key ?? 'the root'}: ${(await labels(explorer, parent)).join(', ')}`);
  }
  return found.node;
}

/** A request to the sandbox as the admin (test setup only). */
export function adminRequest(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const info = sandbox();
  const url = new URL(path, info.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: info.caPem,
        headers: {
          authorization: `Bearer ${info.adminToken}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
