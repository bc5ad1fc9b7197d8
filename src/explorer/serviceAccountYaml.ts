import vscode = require('vscode');
import { toYaml } from '../core/kubectl/toYaml';
import type { RbacKind } from '../kube/clusterClient';
import type { ClusterSession } from '../platform/clusterSession';
import { describeError } from '../core/logLine';

export const yamlScheme = 'sa-tokens';

/** `sa-tokens:/<namespace>/<name>.yaml?context=<context>`: the .yaml suffix gives YAML highlighting. */
export function serviceAccountYamlUri(context: string, namespace: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: yamlScheme, path: `/${namespace}/${name}.yaml`, query: new URLSearchParams({ context }).toString() });
}

/** `sa-tokens:/rbac/<Kind>/<namespace or _>/<name>.yaml?context=<context>`: a binding or role, read-only. */
export function rbacObjectYamlUri(context: string, kind: RbacKind, name: string, namespace?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: yamlScheme, path: `/rbac/${kind}/${namespace ?? '_'}/${name}.yaml`, query: new URLSearchParams({ context }).toString() });
}

/**
 * Read-only "Show Service Account YAML" (and binding YAML) documents, fetched live from the API server. A failure is
 * shown in the document as a YAML comment rather than a pop-up, so the editor never stays blank.
 */
export class ServiceAccountYamlProvider implements vscode.TextDocumentContentProvider {
  private readonly _onDidChange = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly _session: ClusterSession) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const context = new URLSearchParams(uri.query).get('context');
    const rbac = /^\/rbac\/(Role|ClusterRole|RoleBinding|ClusterRoleBinding)\/([^/]+)\/([^/]+)\.yaml$/.exec(uri.path);
    const account = /^\/([^/]+)\/([^/]+)\.yaml$/.exec(uri.path);
    if ((rbac === null && account === null) || context === null) {
      return `# Not a service account or RBAC object address: ${uri.toString()}\n`;
    }
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    const what = rbac !== null ? `${rbac[1]} ${rbac[2] === '_' ? '' : `${rbac[2]}/`}${rbac[3]}` : `ServiceAccount ${account![1]}/${account![2]}`;
    try {
      const client = await this._session.clientFor(context);
      const object = rbac !== null
        ? await client.getRbacObject(rbac[1] as RbacKind, rbac[3]!, rbac[2] === '_' ? undefined : rbac[2], { signal: controller.signal })
        : await client.getServiceAccountObject(account![1]!, account![2]!, { signal: controller.signal });
      return `# ${what} in context ${context} (read-only)\n${toYaml(object)}`;
    } catch (e) {
      const message = describeError(e);
      return `# Could not load ${what} from context ${context}:\n${message.split('\n').map((l) => `# ${l}`).join('\n')}\n`;
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
