import vscode = require('vscode');
import { configSection, settingIds } from '../constants';

/** The namespaces Select Namespaces shows (saTokens.namespaces), blank entries dropped; empty: all. */
export function selectedNamespaces(): string[] {
  return (vscode.workspace.getConfiguration(configSection).get<string[]>(settingIds.namespaces) ?? []).map((n) => n.trim()).filter((n) => n !== '');
}
