import vscode = require('vscode');
import { accessReportMarkdown } from '../core/access';
import { describeError } from '../core/logLine';
import type { AccessReports } from './accessReports';

export const accessReportScheme = 'sa-tokens-access';

/** `sa-tokens-access:/<namespace>/<name>.md?context=<context>`: the .md suffix opens it as Markdown. */
export function accessReportUri(context: string, namespace: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: accessReportScheme, path: `/${namespace}/${name}.md`, query: new URLSearchParams({ context }).toString() });
}

/** Read-only access reports (the Access node's content as a Markdown table, for a security review). */
export class AccessReportDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly _reports: Pick<AccessReports, 'report'>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const match = /^\/([^/]+)\/([^/]+)\.md$/.exec(uri.path);
    const context = new URLSearchParams(uri.query).get('context');
    if (match === null || context === null) {
      return `Not an access report address: ${uri.toString()}\n`;
    }
    try {
      return accessReportMarkdown(await this._reports.report(context, { namespace: match[1]!, name: match[2]! }));
    } catch (e) {
      return `# Could not compute the access report of ${match[1]}/${match[2]} (context ${context})\n\n${describeError(e)}\n`;
    }
  }
}
