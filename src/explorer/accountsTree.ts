import * as vscode from 'vscode';
import { isTokenError, TokenError } from '../core/errors';
import type { ClusterClient, Page } from '../kube/clusterClient';
import type { ClusterSession } from '../platform/clusterSession';
import { Disposable } from '../platform/disposable';
import type { Log } from '../platform/log';
import type { TokenStore } from '../platform/tokenStore';
import {
  contextKey,
  namespaceKey,
  rootKey,
  serviceAccountKey,
  type AccountNode,
  type ContextNode,
  type InfoNode,
  type LegacyTokenNode,
  type LoadMoreNode,
  type NamespaceNode,
  type ServiceAccountNode,
} from './accountNodes';
import { actionNodes, errorNode } from './errorNode';
import { buildTreeItem } from './treeItems';

/** What the tree reads from settings each time it loads (so a change applies on the next refresh). */
export interface AccountsTreeSettings {
  readonly pageSize: number;
  /** `saTokens.namespaces`: show only these (empty: list the cluster's). */
  readonly namespaces: readonly string[];
}

export interface AccountsTreeDeps {
  readonly session: ClusterSession & { whenLoaded?(): Promise<void> };
  readonly tokenStore?: TokenStore;
  readonly log?: Log;
  readonly settings: () => AccountsTreeSettings;
  /** Told what the kubeconfig state is after each root load: drives viewsWelcome and the view message. */
  readonly onRootState?: (state: RootState) => void;
}

export interface RootState {
  readonly kubeconfigState: 'missing' | 'error' | 'ready';
  readonly context?: string;
  readonly message?: string;
}

/** The children under one parent: loaded page by page, cancellable, with the failure (if any) of the last load. */
interface Listing {
  readonly parent: AccountNode | undefined;
  items: AccountNode[];
  /** Notes shown before the items (permission fallbacks, "none found"). */
  notes: AccountNode[];
  continueToken?: string;
  remaining?: number;
  error?: AccountNode;
  pending?: Promise<void>;
  controller?: AbortController;
}

type Pager = (client: ClusterClient, options: { limit: number; continueToken?: string; signal: AbortSignal }) => Promise<Page<AccountNode>>;

/**
 * The Service Accounts tree: active context → namespaces → service accounts → tokens. Loads lazily,
 * page by page, through the ClusterSession; failures become error items (never pop-ups); collapsing
 * or refreshing aborts loads in flight.
 */
export class AccountsTreeProvider extends Disposable implements vscode.TreeDataProvider<AccountNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<AccountNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  private readonly _listings = new Map<string, Listing>();
  /** The instance of each node last handed out, by key: VS Code tracks elements by identity. */
  private readonly _nodes = new Map<string, AccountNode>();
  /** Service accounts the user jumped to that are not in a loaded page, by namespace key. */
  private readonly _pinned = new Map<string, ServiceAccountNode[]>();

  constructor(private readonly _deps: AccountsTreeDeps) {
    super();
    this._register(_deps.session.onDidChange(() => this.refresh()));
    if (_deps.tokenStore !== undefined) {
      this._register(_deps.tokenStore.onDidChange(() => this._refreshTokens()));
    }
  }

  /** Drops everything loaded (aborting loads in flight) and redraws from the root, or below `node`. */
  refresh(node?: AccountNode): void {
    const target = node === undefined ? undefined : this._canonical(node);
    const prefix = target === undefined ? undefined : target.key;
    for (const [key, listing] of [...this._listings]) {
      if (prefix === undefined || key === prefix || this._isBelow(key, prefix)) {
        listing.controller?.abort();
        this._listings.delete(key);
      }
    }
    if (prefix === undefined) {
      this._pinned.clear();
    }
    this._onDidChangeTreeData.fire(target === undefined || target.key === rootKey ? undefined : target);
  }

  /** Retry for an error (or its action): reloads the listing the error belongs to. */
  retry(node: AccountNode): void {
    const errKey = node.kind === 'action' ? node.parentKey : node.key;
    const error = this._nodes.get(errKey);
    const listingKey = error?.kind === 'error' ? error.parentKey : undefined;
    const listing = listingKey === undefined ? undefined : this._listings.get(listingKey);
    if (listing === undefined || listing.parent === undefined) {
      this.refresh();
      return;
    }
    if (listing.items.length > 0 && listing.continueToken !== undefined) {
      // The failure was a "Load more": try that page again, keeping what is loaded.
      listing.error = undefined;
      void this.loadMore({ kind: 'loadMore', key: `more:${listingKey}`, parentKey: listingKey!, loaded: listing.items.length });
      return;
    }
    this.refresh(listing.parent);
  }

  /** Collapse: abort loads in flight below the node so a slow cluster does not keep working for nothing. */
  collapsed(node: AccountNode): void {
    const target = this._canonical(node);
    for (const [key, listing] of [...this._listings]) {
      if ((key === target.key || this._isBelow(key, target.key)) && listing.pending !== undefined) {
        listing.controller?.abort();
        this._listings.delete(key);
      }
    }
  }

  getTreeItem(node: AccountNode): vscode.TreeItem {
    return buildTreeItem(node, Date.now());
  }

  getParent(node: AccountNode): AccountNode | undefined {
    const parentKey = this._canonical(node).parentKey;
    return parentKey === undefined || parentKey === rootKey ? undefined : this._nodes.get(parentKey);
  }

  async getChildren(node?: AccountNode): Promise<AccountNode[]> {
    const parent = node === undefined ? undefined : this._canonical(node);
    let children: AccountNode[];
    try {
      children = await this._children(parent);
    } catch (e) {
      // Last line of defence: a bug must still show something, never a blank view or a pop-up.
      this._deps.log?.error('Loading the tree failed', e);
      children = [errorNode(parent?.key ?? rootKey, e)];
    }
    for (const child of children) {
      this._nodes.set(child.key, child);
    }
    return children;
  }

  /** "Load more": fetches the next page of the node's listing and redraws its parent. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const listing = this._listings.get(node.parentKey);
    if (listing === undefined || listing.continueToken === undefined || listing.parent === undefined) {
      return;
    }
    if (listing.pending === undefined) {
      listing.pending = this._fetchPage(listing, this._pagerFor(listing.parent)).finally(() => {
        listing.pending = undefined;
      });
    }
    await listing.pending;
    this._onDidChangeTreeData.fire(listing.parent);
  }

  /**
   * Makes a service account reachable in the tree (for Go to Service Account): its namespace and the
   * SA itself are pinned when they are not among the loaded pages. Returns the node to reveal.
   */
  async locate(context: string, namespace: string, name: string): Promise<ServiceAccountNode | undefined> {
    const roots = await this.getChildren();
    const root = roots.find((n): n is ContextNode => n.kind === 'context' && n.context === context);
    if (root === undefined) {
      return undefined;
    }
    const nsKey = namespaceKey(context, namespace);
    let namespaces = await this.getChildren(root);
    if (!namespaces.some((n) => n.key === nsKey)) {
      const listing = this._listings.get(root.key);
      listing?.items.unshift(this._namespaceNode(context, namespace, root.key));
      namespaces = await this.getChildren(root);
      this._onDidChangeTreeData.fire(root);
    }
    const nsNode = namespaces.find((n) => n.key === nsKey);
    if (nsNode === undefined) {
      return undefined;
    }
    const saKey = serviceAccountKey(context, namespace, name);
    let accounts = await this.getChildren(nsNode);
    if (!accounts.some((n) => n.key === saKey)) {
      const client = await this._deps.session.clientFor(context);
      const sa = await client.getServiceAccount(namespace, name);
      const saNode = this._serviceAccountNode(context, nsKey, sa);
      this._pinned.set(nsKey, [...(this._pinned.get(nsKey) ?? []).filter((p) => p.key !== saKey), saNode]);
      this._listings.delete(nsKey);
      accounts = await this.getChildren(nsNode);
      this._onDidChangeTreeData.fire(nsNode);
    }
    return accounts.find((n): n is ServiceAccountNode => n.key === saKey);
  }

  // ─────────────────────────────────────────────────────────────────────────────────────────────

  private async _children(parent: AccountNode | undefined): Promise<AccountNode[]> {
    if (parent === undefined) {
      return this._root();
    }
    switch (parent.kind) {
      case 'context':
      case 'namespace':
        return this._listed(parent);
      case 'serviceAccount':
        return this._tokens(parent);
      case 'error':
        return actionNodes(parent);
      default:
        return [];
    }
  }

  private async _root(): Promise<AccountNode[]> {
    const session = this._deps.session;
    await (session.whenLoaded?.() ?? Promise.resolve());
    const loadError = session.loadError;
    if (loadError !== undefined) {
      const message = loadError instanceof Error ? loadError.message : String(loadError);
      if (isTokenError(loadError) && loadError.code === 'ERR_KUBECONFIG_MISSING') {
        // Empty tree: the "No kubeconfig found" welcome content takes over; the message says which file.
        this._deps.onRootState?.({ kubeconfigState: 'missing', message });
        return [];
      }
      this._deps.onRootState?.({ kubeconfigState: 'error', message });
      return [errorNode(rootKey, loadError)];
    }
    const context = session.activeContext;
    if (context === undefined) {
      const problem = session.kubeconfig?.currentContextProblem ?? 'No context is selected.';
      this._deps.onRootState?.({ kubeconfigState: 'error', message: problem });
      return [errorNode(rootKey, new TokenError('ERR_CONTEXT_NOT_FOUND', problem, { hint: 'Switch Context to pick one of the kubeconfig\'s contexts.' }))];
    }
    try {
      const info = (await session.client()).connectionInfo;
      this._deps.onRootState?.({ kubeconfigState: 'ready', context });
      const node: ContextNode = {
        kind: 'context',
        key: contextKey(context),
        parentKey: rootKey,
        context,
        cluster: info.clusterName,
        user: info.userName,
        server: info.server,
        namespace: info.namespace,
        tlsVerificationDisabled: info.tlsVerificationDisabled,
        authKind: info.authKind,
      };
      return [node];
    } catch (e) {
      this._deps.onRootState?.({ kubeconfigState: 'error', context, message: e instanceof Error ? e.message : String(e) });
      return [errorNode(rootKey, e)];
    }
  }

  private async _listed(parent: ContextNode | NamespaceNode): Promise<AccountNode[]> {
    let listing = this._listings.get(parent.key);
    if (listing === undefined) {
      listing = { parent, items: [], notes: [] };
      this._listings.set(parent.key, listing);
      const started = listing;
      started.pending = this._firstPage(started).finally(() => {
        started.pending = undefined;
      });
    }
    const current = listing;
    if (current.pending !== undefined) {
      await current.pending;
    }
    if (this._listings.get(parent.key) !== current) {
      // Aborted (collapse / refresh) while loading: redraw once settled so the next expand reloads.
      setTimeout(() => this._onDidChangeTreeData.fire(parent), 0);
      return [];
    }
    return this._render(current);
  }

  private _render(listing: Listing): AccountNode[] {
    const out: AccountNode[] = [...listing.notes];
    const pinned = listing.parent === undefined ? [] : (this._pinned.get(listing.parent.key) ?? []);
    const seen = new Set(listing.items.map((i) => i.key));
    out.push(...pinned.filter((p) => !seen.has(p.key)), ...listing.items);
    if (listing.error !== undefined) {
      out.push(listing.error);
    } else if (listing.continueToken !== undefined && listing.parent !== undefined) {
      const more: LoadMoreNode = {
        kind: 'loadMore',
        key: `more:${listing.parent.key}`,
        parentKey: listing.parent.key,
        loaded: listing.items.length,
        ...(listing.remaining === undefined ? {} : { remaining: listing.remaining }),
      };
      out.push(more);
    }
    if (out.length === 0 && listing.parent !== undefined) {
      out.push(this._info(listing.parent.key, 'empty', listing.parent.kind === 'context' ? 'No namespaces' : 'No service accounts'));
    }
    return out;
  }

  private async _firstPage(listing: Listing): Promise<void> {
    const parent = listing.parent as ContextNode | NamespaceNode;
    if (parent.kind === 'context') {
      const selected = this._deps.settings().namespaces;
      if (selected.length > 0) {
        listing.items = selected.map((ns) => this._namespaceNode(parent.context, ns, parent.key));
        listing.notes = [this._info(parent.key, 'filter', `Showing ${selected.length} selected namespace${selected.length === 1 ? '' : 's'}`, 'selectNamespaces', 'Set by saTokens.namespaces. Select Namespaces to change or clear the selection.')];
        return;
      }
    }
    await this._fetchPage(listing, this._pagerFor(parent));
  }

  /** Fetches the next page into the listing; a 410 on a continue token restarts from the first page. */
  private async _fetchPage(listing: Listing, pager: Pager): Promise<void> {
    const parent = listing.parent as ContextNode | NamespaceNode;
    const controller = new AbortController();
    listing.controller = controller;
    const limit = Math.max(1, Math.floor(this._deps.settings().pageSize));
    try {
      const client = await this._deps.session.clientFor(parent.context);
      let page: Page<AccountNode>;
      try {
        page = await pager(client, { limit, signal: controller.signal, ...(listing.continueToken === undefined ? {} : { continueToken: listing.continueToken }) });
      } catch (e) {
        if (isTokenError(e) && e.code === 'ERR_EXPIRED' && listing.continueToken !== undefined) {
          this._deps.log?.info(`The list continue token for ${parent.key} expired (410); restarting the listing`);
          listing.items = [];
          listing.continueToken = undefined;
          page = await pager(client, { limit, signal: controller.signal });
        } else {
          throw e;
        }
      }
      listing.items.push(...page.items);
      listing.continueToken = page.continueToken;
      listing.remaining = page.remainingItemCount;
      listing.error = undefined;
    } catch (e) {
      if (isTokenError(e) && e.code === 'ERR_CANCELLED') {
        return;
      }
      if (parent.kind === 'context' && listing.items.length === 0 && isTokenError(e) && e.code === 'ERR_FORBIDDEN') {
        // Listing namespaces needs cluster scope: fall back to the context's namespace (plus the user's list).
        listing.items = [this._namespaceNode(parent.context, parent.namespace, parent.key)];
        listing.notes = [this._info(parent.key, 'forbidden', 'Cannot list namespaces: showing the context\'s namespace', 'selectNamespaces', `${e.message}\n\nSelect Namespaces to name the namespaces you can use.`)];
        listing.continueToken = undefined;
        return;
      }
      this._deps.log?.warn(`Loading ${parent.key} failed: ${e instanceof Error ? e.message : String(e)}`);
      listing.error = errorNode(parent.key, e);
    } finally {
      if (listing.controller === controller) {
        listing.controller = undefined;
      }
    }
  }

  private _pagerFor(parent: AccountNode): Pager {
    if (parent.kind === 'context') {
      return async (client, options) => {
        const page = await client.listNamespaces(options);
        return { ...page, items: page.items.map((ns) => this._namespaceNode(parent.context, ns.name, parent.key, ns.phase)) };
      };
    }
    if (parent.kind === 'namespace') {
      return async (client, options) => {
        const page = await client.listServiceAccounts({ ...options, namespace: parent.name });
        return { ...page, items: page.items.map((sa) => this._serviceAccountNode(parent.context, parent.key, sa)) };
      };
    }
    throw new Error(`no pager for ${parent.kind}`);
  }

  private async _tokens(sa: ServiceAccountNode): Promise<AccountNode[]> {
    let listing = this._listings.get(sa.key);
    if (listing === undefined) {
      listing = { parent: sa, items: [], notes: [] };
      this._listings.set(sa.key, listing);
      const started = listing;
      started.pending = this._legacyTokens(sa, started).finally(() => {
        started.pending = undefined;
      });
    }
    const current = listing;
    if (current.pending !== undefined) {
      await current.pending;
    }
    const issued: AccountNode[] = (this._deps.tokenStore?.list() ?? [])
      .filter((t) => t.context === sa.context && t.namespace === sa.namespace && t.serviceAccount === sa.name)
      .sort((a, b) => b.issuedAt - a.issuedAt)
      .map((t) => ({
        kind: 'issuedToken',
        key: `tok:${t.id}`,
        parentKey: sa.key,
        id: t.id,
        context: t.context,
        namespace: t.namespace,
        serviceAccount: t.serviceAccount,
        audiences: t.audiences,
        issuedAt: t.issuedAt,
        expiresAt: t.expiresAt,
        ...(t.autoRenew === undefined ? {} : { autoRenew: t.autoRenew }),
      }));
    const out = [...issued, ...current.items, ...current.notes];
    if (current.error !== undefined) {
      out.push(current.error);
    }
    if (out.length === 0) {
      out.push(this._info(sa.key, 'none', 'No tokens issued here yet', undefined, 'Tokens you request for this service account appear here.'));
    }
    return out;
  }

  private async _legacyTokens(sa: ServiceAccountNode, listing: Listing): Promise<void> {
    const controller = new AbortController();
    listing.controller = controller;
    try {
      const client = await this._deps.session.clientFor(sa.context);
      const page = await client.listSecrets(sa.namespace, { fieldSelector: 'type=kubernetes.io/service-account-token', signal: controller.signal });
      listing.items = page.items
        .filter((s) => s.type === 'kubernetes.io/service-account-token' && s.serviceAccountName === sa.name)
        .map(
          (s): LegacyTokenNode => ({
            kind: 'legacyToken',
            key: `legacy:${sa.context}/${sa.namespace}/${s.name}`,
            parentKey: sa.key,
            context: sa.context,
            namespace: sa.namespace,
            serviceAccount: sa.name,
            name: s.name,
            ...(s.creationTimestamp === undefined ? {} : { creationTimestamp: s.creationTimestamp }),
            ...(s.legacyTokenLastUsed === undefined ? {} : { lastUsed: s.legacyTokenLastUsed }),
            ...(s.legacyTokenInvalidSince === undefined ? {} : { invalidSince: s.legacyTokenInvalidSince }),
          }),
        );
    } catch (e) {
      if (isTokenError(e) && e.code === 'ERR_CANCELLED') {
        return;
      }
      if (isTokenError(e) && e.code === 'ERR_FORBIDDEN') {
        // Reading secrets is often (rightly) not allowed: say so quietly instead of failing the SA.
        listing.notes = [this._info(sa.key, 'secrets-forbidden', 'Legacy token secrets not shown (cannot list secrets)', undefined, e.message)];
        return;
      }
      listing.error = errorNode(sa.key, e);
    } finally {
      if (listing.controller === controller) {
        listing.controller = undefined;
      }
    }
  }

  private _refreshTokens(): void {
    for (const [key, listing] of this._listings) {
      if (key.startsWith('sa:') && listing.parent !== undefined) {
        this._onDidChangeTreeData.fire(listing.parent);
      }
    }
  }

  private _namespaceNode(context: string, name: string, parentKey: string, phase?: string): NamespaceNode {
    return { kind: 'namespace', key: namespaceKey(context, name), parentKey, context, name, ...(phase === undefined ? {} : { phase }) };
  }

  private _serviceAccountNode(
    context: string,
    parentKey: string,
    sa: { namespace: string; name: string; uid: string; annotations: Readonly<Record<string, string>>; creationTimestamp?: string; automountServiceAccountToken?: boolean; secrets: readonly string[]; imagePullSecrets: readonly string[] },
  ): ServiceAccountNode {
    return {
      kind: 'serviceAccount',
      key: serviceAccountKey(context, sa.namespace, sa.name),
      parentKey,
      context,
      namespace: sa.namespace,
      name: sa.name,
      uid: sa.uid,
      annotations: sa.annotations,
      ...(sa.creationTimestamp === undefined ? {} : { creationTimestamp: sa.creationTimestamp }),
      ...(sa.automountServiceAccountToken === undefined ? {} : { automountServiceAccountToken: sa.automountServiceAccountToken }),
      secrets: sa.secrets,
      imagePullSecrets: sa.imagePullSecrets,
    };
  }

  private _info(parentKey: string, id: string, message: string, action?: InfoNode['action'], tooltip?: string): InfoNode {
    return { kind: 'info', key: `info:${parentKey}:${id}`, parentKey, message, ...(action === undefined ? {} : { action }), ...(tooltip === undefined ? {} : { tooltip }) };
  }

  private _canonical(node: AccountNode): AccountNode {
    return this._nodes.get(node.key) ?? node;
  }

  /** Whether `key` lies below the node with key `ancestor` (walking the parent chain of handed-out nodes). */
  private _isBelow(key: string, ancestor: string): boolean {
    let current = this._nodes.get(key)?.parentKey;
    for (let guard = 0; current !== undefined && guard < 10; guard++) {
      if (current === ancestor) {
        return true;
      }
      current = this._nodes.get(current)?.parentKey;
    }
    return false;
  }
}
