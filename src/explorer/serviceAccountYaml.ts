import * as vscode from 'vscode';
import { toYaml } from '../core/kubectl/toYaml';
import type { ClusterSession } from '../platform/clusterSession';
import { describeError } from '../core/logLine';

export const yamlScheme = 'sa-tokens';

/** `sa-tokens:/<namespace>/<name>.yaml?context=<context>`: the .yaml suffix gives YAML highlighting. */
export function serviceAccountYamlUri(context: string, namespace: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: yamlScheme, path: `/${namespace}/${name}.yaml`, query: new URLSearchParams({ context }).toString() });
}

/**
 * Read-only "Show Service Account YAML" documents, fetched live from the API server. A failure is
 * shown in the document as a YAML comment rather than a pop-up, so the editor never stays blank.
 */
export class ServiceAccountYamlProvider implements vscode.TextDocumentContentProvider {
  private readonly _onDidChange = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly _session: ClusterSession) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const match = /^\/([^/]+)\/([^/]+)\.yaml$/.exec(uri.path);
    const context = new URLSearchParams(uri.query).get('context');
    if (match === null || context === null) {
      return `# Not a service account address: ${uri.toString()}\n`;
    }
    const [, namespace, name] = match as unknown as [string, string, string];
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      const client = await this._session.clientFor(context);
      const object = await client.getServiceAccountObject(namespace, name, { signal: controller.signal });
      return `# ServiceAccount ${namespace}/${name} in context ${context} (read-only)\n${toYaml(object)}`;
    } catch (e) {
      const message = describeError(e);
      return `# Could not load ServiceAccount ${namespace}/${name} from context ${context}:\n${message.split('\n').map((l) => `# ${l}`).join('\n')}\n`;
    } finally {
      listener.dispose();
    }
  }

  /** Re-fetches an open document (Refresh). */
  refresh(uri: vscode.Uri): void {
    this._onDidChange.fire(uri);
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}
