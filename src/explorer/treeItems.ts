import vscode = require('vscode');
import { formatTimeLeft } from '../core/expiry/expiry';
import { formatKubeAge } from '../core/kubernetes/kubeAge';
import { workloadIdentityBindings } from '../core/kubernetes/workloadIdentity';
import { describeCheck, describeConfirmation, describeGrantSource, describeSubject, subjectsOf } from '../core/access';
import { commandIds } from '../constants';
import { describeHealth, type ClusterHealth } from '../core/kubernetes/clusterHealth';
import type { AccountNode, ErrorAction } from './accountNodes';
import type { RowState } from './accountsModel';

const actionCommands: Record<ErrorAction, { title: string; command: string; icon: string }> = {
  retry: { title: 'Retry', command: commandIds.refresh, icon: 'refresh' },
  switchContext: { title: 'Switch Context…', command: commandIds.switchContext, icon: 'arrow-swap' },
  openKubeconfig: { title: 'Open Kubeconfig', command: commandIds.openKubeconfig, icon: 'go-to-file' },
  pickKubeconfigFile: { title: 'Pick Another Kubeconfig File…', command: commandIds.pickKubeconfigFile, icon: 'folder-opened' },
  selectNamespaces: { title: 'Select Namespaces…', command: commandIds.selectNamespaces, icon: 'filter' },
};

/** The command an action item runs. Retry gets the node (so it reloads the right listing); the others take no argument. */
export function actionCommand(action: ErrorAction, node: AccountNode): vscode.Command {
  const entry = actionCommands[action];
  return { title: entry.title, command: entry.command, arguments: action === 'retry' ? [node] : [] };
}

export function actionTitle(action: ErrorAction): string {
  return actionCommands[action].title;
}

/**
 * Maps a node to its TreeItem; `contextValue` is the node kind (menus match `viewItem == <kind>`), and
 * `context.unreachable` / `context.unauthorized` for a context row whose cluster is down or refuses the
 * credentials (its menus add Open Kubeconfig). `row` adds what the model knows beyond the node.
 */
export function buildTreeItem(node: AccountNode, now: number, row: RowState = { slow: false }): vscode.TreeItem {
  const item = nodeItem(node, now);
  if (node.kind === 'context' && row.health !== undefined) {
    showHealth(item, node.server, row.health);
  }
  if (row.repeatsContextHealth === true) {
    // The context row says it once, with its actions; below it the failure is a marker, its actions one click away.
    item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
  }
  if (row.slow && node.kind !== 'context') {
    item.description = [item.description, 'Loading…'].filter((d) => typeof d === 'string' && d !== '').join(' · ');
    item.iconPath = new vscode.ThemeIcon('loading~spin');
  }
  if (row.expanded !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
    item.collapsibleState = row.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  }
  return item;
}

/** The context row in an outage or a slow answer: the state and the error up front, what to do in the tooltip. */
function showHealth(item: vscode.TreeItem, server: string, health: ClusterHealth): void {
  const words = describeHealth(health);
  if (words === undefined) {
    return;
  }
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip : new vscode.MarkdownString();
  if (health.state === 'slow') {
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    item.description = `${item.description ?? server} · ${words}`;
    tooltip.appendMarkdown(`\n\n$(loading~spin) **Waiting for the API server**: a request has been waiting for more than a few seconds. It fails after \`saTokens.requestTimeoutSeconds\`.`);
  } else {
    item.iconPath = new vscode.ThemeIcon(health.state === 'unreachable' ? 'debug-disconnect' : 'error', new vscode.ThemeColor('list.errorForeground'));
    item.description = `${words}: ${health.message ?? ''}`;
    item.contextValue = `context.${health.state}`;
    tooltip.appendMarkdown(`\n\n$(error) **${md(words[0]!.toUpperCase() + words.slice(1))}**: ${md(health.message ?? '')}`);
    if (health.hint !== undefined) {
      tooltip.appendMarkdown(`\n\n${md(health.hint)}`);
    }
    tooltip.appendMarkdown('\n\nRefresh to retry, Switch Context to use another cluster, or Open Kubeconfig to fix the server or the credentials. Tokens issued here stay listed.');
  }
  item.tooltip = tooltip;
}

function nodeItem(node: AccountNode, now: number): vscode.TreeItem {
  const None = vscode.TreeItemCollapsibleState.None;
  switch (node.kind) {
    case 'context': {
      const item = new vscode.TreeItem(node.context, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.server;
      const tooltip = new vscode.MarkdownString(undefined, true);
      tooltip.appendMarkdown(`**Context** \`${code(node.context)}\`\n\n`);
      tooltip.appendMarkdown(`Cluster \`${code(node.cluster)}\` · server ${md(node.server)}  \nUser \`${code(node.user)}\` (${node.authKind}) · namespace \`${code(node.namespace)}\``);
      if (node.tlsVerificationDisabled) {
        tooltip.appendMarkdown('\n\n$(warning) **TLS verification is off** (`insecure-skip-tls-verify: true`): the API server\'s identity is not checked, so tokens could be sent to an impostor.');
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.description = `${node.server} · TLS verification off`;
      } else {
        item.iconPath = new vscode.ThemeIcon('server-environment');
      }
      item.tooltip = tooltip;
      return finish(item, node);
    }
    case 'namespace': {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      if (node.phase !== undefined && node.phase !== 'Active') {
        item.description = node.phase;
      }
      return finish(item, node);
    }
    case 'serviceAccount': {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
      const bindings = workloadIdentityBindings(node.annotations);
      item.description = bindings.map((b) => b.short).join(' · ') || undefined;
      item.iconPath = new vscode.ThemeIcon(bindings.length > 0 ? 'cloud' : 'account');
      const tooltip = new vscode.MarkdownString();
      tooltip.appendMarkdown(`**${md(node.namespace)}/${md(node.name)}**\n\n`);
      if (node.fromTokenStore === true) {
        tooltip.appendMarkdown('Listed from the tokens stored for it: the API server could not be asked about this account.');
        item.tooltip = tooltip;
        return finish(item, node);
      }
      const rows: [string, string][] = [
        ['uid', `\`${code(node.uid)}\``],
        ['age', formatKubeAge(node.creationTimestamp, now) || 'unknown'],
        ['automount token', node.automountServiceAccountToken === undefined ? 'not set (pods mount it by default)' : String(node.automountServiceAccountToken)],
        ['secrets', node.secrets.length === 0 ? 'none' : node.secrets.map((s) => `\`${code(s)}\``).join(', ')],
        ['imagePullSecrets', node.imagePullSecrets.length === 0 ? 'none' : node.imagePullSecrets.map((s) => `\`${code(s)}\``).join(', ')],
        ...bindings.map((b): [string, string] => [b.provider, `\`${code(b.value)}\``]),
      ];
      tooltip.appendMarkdown(rows.map(([k, v]) => `${k}: ${v}`).join('  \n'));
      item.tooltip = tooltip;
      return finish(item, node);
    }
    case 'issuedToken': {
      const audiences = node.audiences.length === 0 ? '(API server audiences)' : node.audiences.join(', ');
      const item = new vscode.TreeItem(audiences, None);
      const left = node.expiresAt - now;
      item.description = left > 0 ? `expires in ${formatTimeLeft(left)}${node.autoRenew ? ' · auto-renew' : ''}` : `expired ${formatTimeLeft(-left)} ago`;
      item.iconPath = new vscode.ThemeIcon(left > 0 ? 'key' : 'circle-slash');
      item.tooltip = `Token issued by this extension for ${node.namespace}/${node.serviceAccount}\nAudiences: ${audiences}\nIssued ${new Date(node.issuedAt).toISOString()}\nExpires ${new Date(node.expiresAt).toISOString()}`;
      const inspect = (commandIds as Record<string, string>).inspectToken;
      if (inspect !== undefined) {
        item.command = { title: 'Inspect Token', command: inspect, arguments: [node.id] };
      }
      return finish(item, node);
    }
    case 'legacyToken': {
      const item = new vscode.TreeItem(node.name, None);
      const parts = ['long-lived secret token'];
      if (node.invalidSince !== undefined) {
        parts.push(`invalid since ${node.invalidSince}`);
      } else if (node.lastUsed !== undefined) {
        parts.push(`last used ${node.lastUsed}`);
      }
      item.description = parts.join(' · ');
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.tooltip = new vscode.MarkdownString(
        `**Legacy secret-based token** \`${code(node.name)}\` (type \`kubernetes.io/service-account-token\`)\n\n` +
          'It never expires and is not bound to a pod: prefer short-lived tokens from the TokenRequest API.\n\n' +
          // What kube-apiserver and the legacy-token cleaner mean by these labels (pkg/serviceaccount/legacy.go).
          (node.lastUsed === undefined
            ? 'Last used: not since usage tracking began (the API server stamps a date on each use)  \n'
            : `Last used: ${node.lastUsed} (the API server stamps each use, refused ones too)  \n`) +
          (node.invalidSince === undefined
            ? ''
            : `Invalid since: ${node.invalidSince}: the API server refuses this token now; the cleaner deletes the Secret after its clean-up period. Remove the label to allow it again.  \n`) +
          `Created: ${node.creationTimestamp ?? 'unknown'}`,
      );
      return finish(item, node);
    }
    case 'loadMore': {
      const item = new vscode.TreeItem('Load more…', None);
      item.description = node.remaining === undefined ? `${node.loaded} loaded` : `${node.loaded} loaded, about ${node.remaining} more`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { title: 'Load More', command: commandIds.loadMore, arguments: [node] };
      return finish(item, node);
    }
    case 'error': {
      const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.message;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.tooltip = node.hint === undefined ? node.message : `${node.message}\n\n${node.hint}`;
      return finish(item, node);
    }
    case 'action': {
      const item = new vscode.TreeItem(actionCommands[node.action].title, None);
      item.iconPath = new vscode.ThemeIcon(actionCommands[node.action].icon);
      item.command = actionCommand(node.action, node);
      return finish(item, node);
    }
    case 'access': {
      const item = new vscode.TreeItem('Access', vscode.TreeItemCollapsibleState.Collapsed);
      item.description = 'who can get its credentials';
      item.iconPath = new vscode.ThemeIcon('shield');
      item.tooltip = 'Who can mint tokens for, run workloads as, impersonate, read the legacy tokens of, or rebind roles to get this service account: computed from RBAC, confirmed by the API server.';
      return finish(item, node);
    }
    case 'accessPath': {
      const subjects = subjectsOf(node.path);
      const item = new vscode.TreeItem(node.path.title, subjects.length === 0 ? None : vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${subjects.length === 0 ? 'nobody' : `${subjects.length} subject${subjects.length === 1 ? '' : 's'}`}${node.path.secondOrder ? ' · second-order' : ''}`;
      item.iconPath = new vscode.ThemeIcon(subjects.length === 0 ? 'pass' : node.path.secondOrder ? 'debug-step-over' : 'key');
      const tooltip = new vscode.MarkdownString();
      tooltip.appendMarkdown(`${md(node.path.description)}\n\nChecks: ${node.path.checks.map((c) => `\`${code(describeCheck(c))}\``).join(', ')}`);
      item.tooltip = tooltip;
      return finish(item, node);
    }
    case 'accessSubject': {
      const first = node.grants[0];
      const item = new vscode.TreeItem(describeSubject(node.subject), None);
      item.description = first === undefined ? undefined : `${describeConfirmation(first)} · ${describeGrantSource(first)}${node.grants.length > 1 ? ` (+${node.grants.length - 1})` : ''}`;
      item.iconPath = new vscode.ThemeIcon(node.subject.kind === 'Group' ? 'organization' : node.subject.kind === 'ServiceAccount' ? 'robot' : 'person');
      const tooltip = new vscode.MarkdownString();
      tooltip.appendMarkdown(node.grants.map((g) => `- \`${code(describeCheck(g.check))}\` via ${md(describeGrantSource(g))}: ${md(describeConfirmation(g))}`).join('\n'));
      item.tooltip = tooltip;
      if (first !== undefined) {
        item.command = { title: 'Show Binding YAML', command: commandIds.showRbacObjectYaml, arguments: [node] };
      }
      return finish(item, node);
    }
    case 'info': {
      const item = new vscode.TreeItem(node.message, None);
      item.iconPath = new vscode.ThemeIcon(node.loading === true ? 'loading~spin' : 'info');
      if (node.tooltip !== undefined) {
        item.tooltip = node.tooltip;
      }
      if (node.action !== undefined) {
        item.command = actionCommand(node.action, node);
      }
      return finish(item, node);
    }
  }
}

function finish(item: vscode.TreeItem, node: AccountNode): vscode.TreeItem {
  item.id = node.key;
  item.contextValue = node.kind;
  return item;
}

/** Text for inside a code span (cluster names cannot break out of it). */
function code(text: string): string {
  return text.replace(/`/g, "'");
}

/** Escapes Markdown in names that come from the cluster. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
