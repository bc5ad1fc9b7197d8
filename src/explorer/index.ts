import { existsSync } from 'node:fs';
import vscode = require('vscode');
import { isTokenError } from '../core/errors';
import { describeError } from '../core/logLine';
import { toKubectlCreateTokenCommand } from '../core/kubectl/kubectlCommand';
import { commandIds, configSection, contextKeys, productName, settingIds, viewIds } from '../constants';
import type { Services } from '../services';
import type { ClusterSession } from '../platform/clusterSession';
import { ContextKey } from '../platform/contextKey';
import { showStatusMessage } from '../platform/statusMessage';
import { kubeconfigCandidates } from '../kube/kubeconfigFiles';
import type { AccountNode, LoadMoreNode } from './accountNodes';
import { AccountsTreeProvider, type RootState } from './accountsTree';
import type { ExplorerApi, TreeItemData } from './explorerApi';
import { goToServiceAccount, type ServiceAccountTarget } from './goToServiceAccount';
import { selectedNamespaces } from './namespaceSetting';
import { selectNamespaces } from './selectNamespaces';
import { accessReportJson, accessReportMarkdown } from '../core/access';
import { AccessReportDocuments, accessReportScheme, accessReportUri } from './accessReportDocument';
import { AccessReports } from './accessReports';
import { rbacObjectYamlUri, ServiceAccountYamlProvider, serviceAccountYamlUri, yamlScheme } from './serviceAccountYaml';
import { switchContext } from './switchContext';

/** The Service Accounts view: tree, view title/item commands, read-only YAML documents. Loads nothing at activation. */
export function register(context: vscode.ExtensionContext, services: Services): ExplorerApi {
  const { session, log } = services;
  const config = () => vscode.workspace.getConfiguration(configSection);
  const state = new ContextKey<string>(contextKeys.kubeconfigState);
  const kubeconfigLoaded = new ContextKey<boolean>(contextKeys.kubeconfigLoaded);
  const contextActive = new ContextKey<boolean>(contextKeys.contextActive);
  const accountsListed = new ContextKey<boolean>(contextKeys.serviceAccountsListed);
  let rootState: RootState | undefined;

  const access = new AccessReports(session);
  const tree = new AccountsTreeProvider({
    session,
    tokenStore: services.tokenStore,
    access,
    log,
    settings: () => ({
      pageSize: config().get<number>(settingIds.pageSize, 100),
      namespaces: selectedNamespaces(),
    }),
    onRootState: (s) => {
      rootState = s;
      void state.set(s.kubeconfigState);
      view.description = s.context;
      // A view message hides the welcome content, and 'missing' has its own (with actions): message only on errors.
      view.message = s.kubeconfigState === 'error' ? s.message : undefined;
    },
    onServiceAccountsListed: () => void accountsListed.set(true),
  });
  const view = vscode.window.createTreeView(viewIds.serviceAccounts, { treeDataProvider: tree, showCollapseAll: true });
  const yaml = new ServiceAccountYamlProvider(session);
  void state.set('loading');

  const run = (fn: (...args: never[]) => unknown) => async (...args: never[]) => {
    try {
      await fn(...args);
    } catch (e) {
      // Commands (not getChildren) may tell the user: one message, details in the log.
      log.error('Command failed', e);
      const hint = isTokenError(e) && e.hint !== undefined ? ` ${e.hint}` : '';
      void vscode.window.showErrorMessage(`${describeError(e)}${hint}`);
    }
  };

  context.subscriptions.push(
    tree,
    view,
    yaml,
    view.onDidExpandElement((e) => tree.expanded(e.element)),
    view.onDidCollapseElement((e) => tree.collapsed(e.element)),
    // Read on the session's change events only (after a load or a switch): activation still loads nothing.
    session.onDidChange(() => {
      const contexts = session.kubeconfig?.contexts ?? [];
      void kubeconfigLoaded.set(contexts.length > 0);
      void contextActive.set(contexts.some((c) => c.name === session.activeContext && c.problem === undefined));
    }),
    vscode.workspace.registerTextDocumentContentProvider(yamlScheme, yaml),
    vscode.workspace.registerTextDocumentContentProvider(accessReportScheme, new AccessReportDocuments(access)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${configSection}.${settingIds.namespaces}`) || e.affectsConfiguration(`${configSection}.${settingIds.pageSize}`)) {
        tree.refresh();
      }
    }),
    vscode.commands.registerCommand(
      commandIds.refresh,
      run(async (node?: AccountNode) => {
        if (node === undefined || node.key.startsWith('err:root')) {
          // Refresh re-reads the kubeconfig too; the session's change event redraws the tree.
          await session.reload();
          tree.refresh();
        } else if (node.kind === 'error' || node.kind === 'action' || node.kind === 'info') {
          tree.retry(node);
        } else {
          tree.refresh(node);
        }
      }),
    ),
    vscode.commands.registerCommand(commandIds.loadMore, run((node: LoadMoreNode) => tree.loadMore(node))),
    // From a row's inline action VS Code passes the row's node: only a name (tests, other features) skips the picker.
    vscode.commands.registerCommand(commandIds.switchContext, run((name?: unknown) => switchContext(session, typeof name === 'string' ? name : undefined))),
    vscode.commands.registerCommand(commandIds.selectNamespaces, run((names?: string[]) => selectNamespaces(session, names))),
    vscode.commands.registerCommand(
      commandIds.goToServiceAccount,
      run(async (target?: ServiceAccountTarget) => {
        const picked = await goToServiceAccount(session, tree, target);
        if (picked !== undefined) {
          await view.reveal(picked, { select: true, focus: true, expand: false });
        }
      }),
    ),
    vscode.commands.registerCommand(
      commandIds.copyName,
      run(async (node?: AccountNode) => {
        const name = node === undefined ? undefined : 'name' in node ? node.name : node.kind === 'context' ? node.context : undefined;
        if (name !== undefined) {
          await vscode.env.clipboard.writeText(name);
          showStatusMessage(`$(copy) Copied ${name}`);
        }
      }),
    ),
    vscode.commands.registerCommand(
      commandIds.copyCreateTokenCommand,
      run(async (node?: AccountNode) => {
        if (node?.kind !== 'serviceAccount') {
          return;
        }
        const override = config().get<string | string[]>(settingIds.kubeconfig);
        const kubeconfig = typeof override === 'string' && override.trim() !== '' ? override.trim() : undefined;
        const { command } = toKubectlCreateTokenCommand(
          { namespace: node.namespace, serviceAccount: node.name, audiences: [] },
          { context: node.context, ...(kubeconfig === undefined ? {} : { kubeconfig }) },
        );
        await vscode.env.clipboard.writeText(command);
        showStatusMessage(`$(copy) Copied: ${command}`);
      }),
    ),
    vscode.commands.registerCommand(
      commandIds.showServiceAccountYaml,
      run(async (node?: AccountNode) => {
        if (node?.kind !== 'serviceAccount') {
          return;
        }
        const uri = serviceAccountYamlUri(node.context, node.namespace, node.name);
        if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
          yaml.refresh(uri);
        }
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      }),
    ),
    vscode.commands.registerCommand(
      commandIds.showAccessReport,
      run(async (node?: AccountNode) => {
        const account = accountOf(node);
        if (account === undefined) {
          return;
        }
        const uri = accessReportUri(account.context, account.namespace, account.name);
        await vscode.window.withProgress({ location: { viewId: viewIds.serviceAccounts } }, async () => {
          await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
        });
      }),
    ),
    vscode.commands.registerCommand(
      commandIds.copyAccessReport,
      run(async (node?: AccountNode, format?: 'json' | 'markdown') => {
        const account = accountOf(node);
        if (account === undefined) {
          return;
        }
        const chosen = format ?? (await vscode.window.showQuickPick(
          [{ label: 'Markdown table', format: 'markdown' as const }, { label: 'JSON', format: 'json' as const }],
          { title: `Copy the access report of ${account.namespace}/${account.name} as` },
        ))?.format;
        if (chosen === undefined) {
          return;
        }
        const report = await vscode.window.withProgress({ location: { viewId: viewIds.serviceAccounts } }, () =>
          access.report(account.context, { namespace: account.namespace, name: account.name }));
        await vscode.env.clipboard.writeText(chosen === 'json' ? accessReportJson(report) : accessReportMarkdown(report));
        showStatusMessage(`$(copy) Copied the access report of ${account.namespace}/${account.name} (${chosen === 'json' ? 'JSON' : 'Markdown'})`);
      }),
    ),
    vscode.commands.registerCommand(
      commandIds.showRbacObjectYaml,
      run(async (node?: AccountNode) => {
        const grant = node?.kind === 'accessSubject' ? node.grants[0] : undefined;
        if (node?.kind !== 'accessSubject' || grant === undefined) {
          return;
        }
        const uri = rbacObjectYamlUri(node.context, grant.binding.kind, grant.binding.name, grant.binding.namespace);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      }),
    ),
    vscode.commands.registerCommand(commandIds.openKubeconfig, run((file?: unknown) => openKubeconfig(session, typeof file === 'string' ? file : undefined))),
    vscode.commands.registerCommand(commandIds.pickKubeconfigFile, run((file?: string) => pickKubeconfigFile(file))),
  );

  return {
    getChildren: (node) => tree.getChildren(node),
    getTreeItem: (node) => toData(tree.getTreeItem(node)),
    get view() {
      return {
        ...(view.message === undefined ? {} : { message: view.message }),
        ...(view.description === undefined ? {} : { description: view.description }),
        ...(rootState === undefined ? {} : { kubeconfigState: rootState.kubeconfigState }),
      };
    },
  };
}

/** Opens the kubeconfig file (the one named, else the first that exists; a pick when there are several). */
async function openKubeconfig(session: ClusterSession, file?: string): Promise<void> {
  const override = vscode.workspace.getConfiguration(configSection).get<string | string[]>(settingIds.kubeconfig);
  const candidates = file !== undefined ? [file] : (session.kubeconfig?.files ?? kubeconfigCandidates({ paths: override }).files.filter((f) => existsSync(f)));
  // A load error names the broken file: prefer it.
  const error = session.loadError instanceof Error ? session.loadError.message : '';
  const named = candidates.find((f) => error.includes(f));
  let target = named ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (target === undefined && candidates.length > 1) {
    target = await vscode.window.showQuickPick(candidates, { title: 'Open Kubeconfig', placeHolder: 'Which kubeconfig file?' });
  }
  if (target === undefined) {
    if (candidates.length === 0) {
      void vscode.window.showWarningMessage(`No kubeconfig file exists yet. Pick one with "${productName}: Pick Another Kubeconfig File…".`);
    }
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(target));
}

/** Points the `saTokens.kubeconfig` setting at a file (user settings); the session reloads on the change. */
async function pickKubeconfigFile(file?: string): Promise<void> {
  let path = file;
  if (path === undefined) {
    const picked = await vscode.window.showOpenDialog({ title: 'Pick a Kubeconfig File', canSelectMany: false, openLabel: 'Use This Kubeconfig' });
    path = picked?.[0]?.fsPath;
  }
  if (path !== undefined) {
    await vscode.workspace.getConfiguration(configSection).update(settingIds.kubeconfig, path, vscode.ConfigurationTarget.Global);
  }
}

function toData(item: vscode.TreeItem): TreeItemData {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const description = typeof item.description === 'string' ? item.description : undefined;
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
  const collapsible =
    item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded ? 'expanded' : item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed ? 'collapsed' : 'none';
  return {
    label,
    collapsible,
    ...(item.id === undefined ? {} : { id: item.id }),
    ...(description === undefined ? {} : { description }),
    ...(tooltip === undefined ? {} : { tooltip }),
    ...(item.contextValue === undefined ? {} : { contextValue: item.contextValue }),
    ...(item.iconPath instanceof vscode.ThemeIcon ? { icon: item.iconPath.id } : {}),
    ...(item.command === undefined ? {} : { command: { command: item.command.command, ...(item.command.arguments === undefined ? {} : { arguments: item.command.arguments }) } }),
  };
}

/** The service account a node is about (the account itself or its Access node). */
function accountOf(node: AccountNode | undefined): { context: string; namespace: string; name: string } | undefined {
  if (node?.kind === 'serviceAccount') {
    return { context: node.context, namespace: node.namespace, name: node.name };
  }
  if (node?.kind === 'access') {
    return { context: node.context, namespace: node.namespace, name: node.serviceAccount };
  }
  return undefined;
}
