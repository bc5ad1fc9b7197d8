import { subjectsOf } from '../core/access';
import { isTokenError, TokenError } from '../core/errors';
import type { ClusterSession } from '../platform/clusterSession';
import type { Log } from '../platform/log';
import type { TokenStore } from '../platform/tokenStore';
import type { AccessReports } from './accessReports';
import {
  accessNode,
  accessPathNodes,
  accessSubjectNodes,
  contextKey,
  infoNode,
  issuedTokenNodes,
  namespaceKey,
  namespaceNode,
  rootKey,
  serviceAccountKey,
  serviceAccountNode,
  type AccessNode,
  type AccountNode,
  type ContextNode,
  type ErrorNode,
  type LoadMoreNode,
  type NamespaceNode,
  type ServiceAccountNode,
} from './accountNodes';
import { actionNodes, errorNode } from './errorNode';
import { legacyTokenChildren } from './legacyTokens';
import { Listing, type Pager } from './listing';
import { NodeRegistry } from './nodeRegistry';
import { describeError } from '../core/logLine';
import { ClusterHealthTracker, type ClusterHealth } from '../core/kubernetes/clusterHealth';
import type { SchedulerClock } from '../core/expiry/expiryScheduler';
import type { StoredTokenMeta } from '../platform/tokenStore';
import { systemClock } from '../platform/systemClock';

/** What the tree reads from settings each time it loads (so a change applies on the next refresh). */
export interface AccountsTreeSettings {
  readonly pageSize: number;
  /** `saTokens.namespaces`: show only these (empty: list the cluster's). */
  readonly namespaces: readonly string[];
}

export interface AccountsModelDeps {
  readonly session: Pick<ClusterSession, 'onDidChange' | 'kubeconfig' | 'loadError' | 'activeContext' | 'client' | 'clientFor'> & { whenLoaded?(): Promise<void> };
  readonly tokenStore?: Pick<TokenStore, 'onDidChange' | 'list'>;
  readonly log?: Pick<Log, 'info' | 'warn' | 'error'>;
  readonly settings: () => AccountsTreeSettings;
  /** Told what the kubeconfig state is after each root load: drives viewsWelcome and the view message. */
  readonly onRootState?: (state: RootState) => void;
  /** Told each time a listing returned at least one service account. */
  readonly onServiceAccountsListed?: () => void;
  /** Who can get each service account's credentials (the Access node); absent: no Access node. */
  readonly access?: Pick<AccessReports, 'report' | 'invalidate'>;
  /** Told which node's children changed (undefined: the whole tree). */
  readonly onDidChange: (node: AccountNode | undefined) => void;
  /** Timers for the slow-request marks (tests: a virtual clock). */
  readonly clock?: SchedulerClock;
  /** How long a request may take before its row shows it is still loading. */
  readonly slowAfterMs?: number;
}

/** What a row shows beyond its node: its cluster's health (context rows), a slow load, the expansion the user left it in. */
export interface RowState {
  readonly health?: ClusterHealth;
  readonly slow: boolean;
  readonly expanded?: boolean;
  /** An error row whose failure its context row already shows (the cluster is down or refuses the credentials). */
  readonly repeatsContextHealth?: boolean;
}

const defaultSlowAfterMs = 3000;

export interface RootState {
  readonly kubeconfigState: 'missing' | 'error' | 'ready';
  readonly context?: string;
  readonly message?: string;
}

/**
 * The Service Accounts tree as data, without VS Code: active context → namespaces → service accounts →
 * tokens. Loads lazily, page by page, through the ClusterSession; failures become error items (never
 * pop-ups); collapsing or refreshing aborts loads in flight. `AccountsTreeProvider` adapts it to VS Code.
 */
export class AccountsModel {
  private readonly _listings = new Map<string, Listing>();
  private readonly _nodes = new NodeRegistry();
  /** Service accounts the user jumped to that are not in a loaded page, by namespace key. */
  private readonly _pinned = new Map<string, ServiceAccountNode[]>();
  private readonly _subscriptions: { dispose(): void }[] = [];
  /** Bumped by each root load: only the newest one reports the root state (an older one may finish last). */
  private _rootGeneration = 0;
  private readonly _health: ClusterHealthTracker;
  /** Whether the user left each row expanded, by key: rows that come back (a refresh, a context switch and back) keep it. */
  private readonly _expansion = new Map<string, boolean>();
  private readonly _clock: SchedulerClock;
  /** When each listing's load started, for answering with a "Loading…" row once it is slow. */
  private readonly _started = new WeakMap<Listing, number>();
  /** Above zero while Go to Service Account locates a node: it needs the children themselves, however slow. */
  private _waitingForSlowLoads = 0;

  constructor(private readonly _deps: AccountsModelDeps) {
    this._clock = _deps.clock ?? systemClock;
    this._health = new ClusterHealthTracker({
      slowAfterMs: _deps.slowAfterMs ?? defaultSlowAfterMs,
      clock: this._clock,
      onDidChange: ({ context, row }) => this._healthChanged(context, row),
    });
    this._subscriptions.push(_deps.session.onDidChange(() => {
      this._health.forgetOutcomes();
      this.refresh();
    }));
    if (_deps.tokenStore !== undefined) {
      this._subscriptions.push(_deps.tokenStore.onDidChange(() => this._tokensChanged()));
    }
  }

  dispose(): void {
    for (const listing of this._listings.values()) {
      listing.abort();
    }
    for (const subscription of this._subscriptions.splice(0)) {
      subscription.dispose();
    }
  }

  /** Drops everything loaded (aborting loads in flight) and redraws from the root, or below `node`. */
  refresh(node?: AccountNode): void {
    const target = node === undefined ? undefined : this._nodes.canonical(node);
    this._drop((key) => target === undefined || this._nodes.isAtOrBelow(key, target.key));
    if (target === undefined) {
      this._pinned.clear();
    }
    // RBAC may have changed too: the next Access expand reads it again.
    this._deps.access?.invalidate();
    this._deps.onDidChange(target === undefined || target.key === rootKey ? undefined : target);
  }

  /** Retry for an error (or its action): reloads the listing the error belongs to. */
  retry(node: AccountNode): void {
    const error = this._nodes.get(node.kind === 'action' ? node.parentKey : node.key);
    const listing = error?.kind === 'error' && error.parentKey !== undefined ? this._listings.get(error.parentKey) : undefined;
    if (listing === undefined) {
      this.refresh();
      return;
    }
    if (listing.items.length > 0 && listing.continueToken !== undefined) {
      // The failure was a "Load more": try that page again, keeping what is loaded.
      listing.error = undefined;
      void this.loadMore({ kind: 'loadMore', key: `more:${listing.parent.key}`, parentKey: listing.parent.key, loaded: listing.items.length });
      return;
    }
    this.refresh(listing.parent);
  }

  /** Collapse: abort loads in flight below the node so a slow cluster does not keep working for nothing. */
  collapsed(node: AccountNode): void {
    const target = this._nodes.canonical(node);
    this._expansion.set(target.key, false);
    this._drop((key, listing) => listing.loading && this._nodes.isAtOrBelow(key, target.key));
  }

  expanded(node: AccountNode): void {
    this._expansion.set(node.key, true);
  }

  /** The health of a context's API server, a slow load under a row, and the row's remembered expansion. */
  rowState(node: AccountNode): RowState {
    const context = 'context' in node && typeof node.context === 'string' ? node.context : undefined;
    const expanded = this._expansion.get(node.key);
    return {
      ...(node.kind === 'context' ? { health: this._health.health(node.context) } : {}),
      slow: context !== undefined && this._health.isSlow(context, node.key),
      ...(expanded === undefined ? {} : { expanded }),
      ...(node.kind === 'error' && this._repeatsContextHealth(node) ? { repeatsContextHealth: true } : {}),
    };
  }

  private _repeatsContextHealth(node: ErrorNode): boolean {
    let ancestor = this._nodes.parentOf(node);
    while (ancestor !== undefined && ancestor.kind !== 'context') {
      ancestor = this._nodes.parentOf(ancestor);
    }
    if (ancestor === undefined) {
      return false;
    }
    const health = this._health.health(ancestor.context);
    return (health.state === 'unreachable' || health.state === 'unauthorized') && health.code === node.code;
  }

  getParent(node: AccountNode): AccountNode | undefined {
    return this._nodes.parentOf(node);
  }

  async getChildren(node?: AccountNode): Promise<AccountNode[]> {
    const parent = node === undefined ? undefined : this._nodes.canonical(node);
    let children: AccountNode[];
    try {
      children = await this._children(parent);
    } catch (e) {
      // Last line of defence: a bug must still show something, never a blank view or a pop-up.
      this._deps.log?.error('Loading the tree failed', e);
      children = [errorNode(parent?.key ?? rootKey, e)];
    }
    this._nodes.remember(children);
    if (children.some((c) => c.kind === 'serviceAccount')) {
      this._deps.onServiceAccountsListed?.();
    }
    return children;
  }

  /** "Load more": fetches the next page of the node's listing and redraws its parent. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const listing = this._listings.get(node.parentKey);
    if (listing === undefined || listing.continueToken === undefined) {
      return;
    }
    await listing.run((signal) => this._nextPage(listing, signal));
    this._deps.onDidChange(listing.parent);
  }

  /**
   * Makes a service account reachable in the tree (for Go to Service Account): its namespace and the
   * SA itself are pinned when they are not among the loaded pages. Returns the node to reveal.
   */
  async locate(context: string, namespace: string, name: string): Promise<ServiceAccountNode | undefined> {
    this._waitingForSlowLoads++;
    try {
      return await this._locate(context, namespace, name);
    } finally {
      this._waitingForSlowLoads--;
    }
  }

  private async _locate(context: string, namespace: string, name: string): Promise<ServiceAccountNode | undefined> {
    const root = (await this.getChildren()).find((n): n is ContextNode => n.kind === 'context' && n.context === context);
    if (root === undefined) {
      return undefined;
    }
    const nsKey = namespaceKey(context, namespace);
    let namespaces = await this.getChildren(root);
    if (!namespaces.some((n) => n.key === nsKey)) {
      this._listings.get(root.key)?.items.unshift(namespaceNode(context, namespace, root.key));
      namespaces = await this.getChildren(root);
      this._deps.onDidChange(root);
    }
    const nsNode = namespaces.find((n) => n.key === nsKey);
    if (nsNode === undefined) {
      return undefined;
    }
    const saKey = serviceAccountKey(context, namespace, name);
    let accounts = await this.getChildren(nsNode);
    if (!accounts.some((n) => n.key === saKey)) {
      const client = await this._deps.session.clientFor(context);
      const saNode = serviceAccountNode(context, nsKey, await this._health.track(context, nsKey, client.getServiceAccount(namespace, name)));
      this._pinned.set(nsKey, [...(this._pinned.get(nsKey) ?? []).filter((p) => p.key !== saKey), saNode]);
      this._listings.delete(nsKey);
      accounts = await this.getChildren(nsNode);
      this._deps.onDidChange(nsNode);
    }
    return accounts.find((n): n is ServiceAccountNode => n.key === saKey);
  }

  // ─────────────────────────────────────────────────────────────────────────────────────────────

  private _drop(which: (key: string, listing: Listing) => boolean): void {
    for (const [key, listing] of [...this._listings]) {
      if (which(key, listing)) {
        listing.abort();
        this._listings.delete(key);
      }
    }
  }

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
      case 'access':
        return this._access(parent);
      case 'accessPath':
        return accessSubjectNodes(parent, subjectsOf(parent.path));
      case 'error':
        return actionNodes(parent);
      default:
        return [];
    }
  }

  private async _root(): Promise<AccountNode[]> {
    const { session } = this._deps;
    const generation = ++this._rootGeneration;
    const onRootState = (state: RootState) => {
      if (generation === this._rootGeneration) {
        this._deps.onRootState?.(state);
      }
    };
    await session.whenLoaded?.();
    const loadError = session.loadError;
    if (loadError !== undefined) {
      const message = loadError instanceof Error ? loadError.message : String(loadError);
      if (isTokenError(loadError) && loadError.code === 'ERR_KUBECONFIG_MISSING') {
        // Empty tree: the "No kubeconfig found" welcome content takes over; the message says which file.
        onRootState({ kubeconfigState: 'missing', message });
        return [];
      }
      onRootState({ kubeconfigState: 'error', message });
      return [errorNode(rootKey, loadError)];
    }
    const context = session.activeContext;
    if (context === undefined) {
      const problem = session.kubeconfig?.currentContextProblem ?? 'No context is selected.';
      onRootState({ kubeconfigState: 'error', message: problem });
      return [errorNode(rootKey, new TokenError('ERR_CONTEXT_NOT_FOUND', problem, { hint: 'Switch Context to pick one of the kubeconfig\'s contexts.' }))];
    }
    try {
      const info = (await session.client()).connectionInfo;
      onRootState({ kubeconfigState: 'ready', context });
      return [{
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
      }];
    } catch (e) {
      onRootState({ kubeconfigState: 'error', context, message: describeError(e) });
      return [errorNode(rootKey, e)];
    }
  }

  /**
   * The listing under `parent`, started with `load` when there is none yet; waits for a load in flight.
   * 'slow': the load has taken longer than the slow threshold; the parent is redrawn when it settles. The
   * tree gets a "Loading…" row meanwhile, so it can redraw the rows above (VS Code redraws a row only
   * once its children are in).
   */
  private async _settled(parent: AccountNode, load: (listing: Listing, signal: AbortSignal) => Promise<void>): Promise<Listing | 'slow' | undefined> {
    let listing = this._listings.get(parent.key);
    if (listing === undefined) {
      const created = new Listing(parent);
      listing = created;
      this._listings.set(parent.key, created);
      this._started.set(created, this._clock.now());
      void created.run((signal) => load(created, signal));
    }
    if ((await this._settledInTime(listing)) === 'slow') {
      const slow = listing;
      void slow.settled().then(() => {
        if (this._listings.get(parent.key) === slow) {
          this._deps.onDidChange(this._nodes.canonical(parent));
        }
      });
      return 'slow';
    }
    if (this._listings.get(parent.key) !== listing) {
      // Aborted (collapse / refresh) while loading: redraw once settled so the next expand reloads.
      setTimeout(() => this._deps.onDidChange(parent), 0);
      return undefined;
    }
    return listing;
  }

  /** Resolves when the listing settles, or with 'slow' once its load has taken longer than the threshold. */
  private async _settledInTime(listing: Listing): Promise<'settled' | 'slow'> {
    const started = this._started.get(listing);
    if (!listing.loading || started === undefined || this._waitingForSlowLoads > 0) {
      await listing.settled();
      return 'settled';
    }
    const left = started + (this._deps.slowAfterMs ?? defaultSlowAfterMs) - this._clock.now();
    if (left <= 0) {
      return 'slow';
    }
    let timer: unknown;
    const slow = new Promise<'slow'>((resolve) => {
      timer = this._clock.setTimeout(() => resolve('slow'), left);
    });
    try {
      return await Promise.race([listing.settled().then(() => 'settled' as const), slow]);
    } finally {
      this._clock.clearTimeout(timer);
    }
  }

  private async _listed(parent: ContextNode | NamespaceNode): Promise<AccountNode[]> {
    const listing = await this._settled(parent, (l, signal) => this._firstPage(l, parent, signal));
    if (listing === undefined) {
      return [];
    }
    if (listing === 'slow') {
      return [...this._storedTokenParents(parent, new Set()), loadingNode(parent.key)];
    }
    const pinned = this._pinned.get(parent.key) ?? [];
    const loaded = new Set(listing.items.map((i) => i.key));
    const out: AccountNode[] = [...listing.notes, ...pinned.filter((p) => !loaded.has(p.key)), ...listing.items];
    if (listing.error !== undefined) {
      out.push(...this._storedTokenParents(parent, new Set(out.map((n) => n.key))));
      out.push(listing.error);
    } else if (listing.continueToken !== undefined) {
      out.push({
        kind: 'loadMore',
        key: `more:${parent.key}`,
        parentKey: parent.key,
        loaded: listing.items.length,
        ...(listing.remaining === undefined ? {} : { remaining: listing.remaining }),
      });
    }
    if (out.length === 0) {
      out.push(infoNode(parent.key, 'empty', parent.kind === 'context' ? 'No namespaces' : 'No service accounts'));
    }
    return out;
  }

  private async _firstPage(listing: Listing, parent: ContextNode | NamespaceNode, signal: AbortSignal): Promise<void> {
    if (parent.kind === 'context') {
      const selected = this._deps.settings().namespaces;
      if (selected.length > 0) {
        listing.items = selected.map((ns) => namespaceNode(parent.context, ns, parent.key));
        listing.notes = [infoNode(parent.key, 'filter', `Showing ${selected.length} selected namespace${selected.length === 1 ? '' : 's'}`, 'selectNamespaces', 'Set by saTokens.namespaces. Select Namespaces to change or clear the selection.')];
        return;
      }
    }
    await this._nextPage(listing, signal);
  }

  private async _nextPage(listing: Listing, signal: AbortSignal): Promise<void> {
    const parent = listing.parent as ContextNode | NamespaceNode;
    const limit = Math.max(1, Math.floor(this._deps.settings().pageSize));
    let client;
    try {
      client = await this._deps.session.clientFor(parent.context);
    } catch (e) {
      listing.error = errorNode(parent.key, e);
      return;
    }
    const pager = pagerFor(parent);
    const tracked: Pager = (c, options) => this._health.track(parent.context, parent.key, pager(c, options));
    await listing.nextPage(client, tracked, limit, signal, (e) => {
      if (parent.kind === 'context' && listing.items.length === 0 && isTokenError(e) && e.code === 'ERR_FORBIDDEN') {
        // Listing namespaces needs cluster scope: fall back to the context's namespace (plus the user's list).
        listing.items = [namespaceNode(parent.context, parent.namespace, parent.key)];
        listing.notes = [infoNode(parent.key, 'forbidden', 'Cannot list namespaces: showing the context\'s namespace', 'selectNamespaces', `${e.message}\n\nSelect Namespaces to name the namespaces you can use.`)];
        listing.continueToken = undefined;
        return true;
      }
      this._deps.log?.warn(`Loading ${parent.key} failed: ${describeError(e)}`);
      return false;
    });
  }

  /**
   * The rows that lead to the tokens issued under `parent` (except those `shown`): the tokens are in SecretStorage,
   * not on the server, so they stay reachable while the server is slow or down.
   */
  private _storedTokenParents(parent: ContextNode | NamespaceNode, shown: ReadonlySet<string>): AccountNode[] {
    return storedTokenParents(parent, this._deps.tokenStore?.list() ?? []).filter((n) => !shown.has(n.key));
  }

  private async _tokens(sa: ServiceAccountNode): Promise<AccountNode[]> {
    const listing = await this._settled(sa, async (l, signal) => {
      try {
        const found = await legacyTokenChildren(await this._deps.session.clientFor(sa.context), sa, signal, (request) => this._health.track(sa.context, sa.key, request));
        l.items = found.items;
        l.notes = found.notes;
        l.error = found.error;
      } catch (e) {
        l.error = errorNode(sa.key, e);
      }
    });
    const issued = issuedTokenNodes(sa, this._deps.tokenStore?.list() ?? []);
    if (listing === 'slow') {
      return [...issued, loadingNode(sa.key)];
    }
    const out: AccountNode[] = [...issued, ...(listing?.items ?? []), ...(listing?.notes ?? [])];
    if (listing?.error !== undefined) {
      out.push(listing.error);
    }
    if (out.length === 0) {
      out.push(infoNode(sa.key, 'none', 'No tokens issued here yet', undefined, 'Tokens you request for this service account appear here.'));
    }
    return this._deps.access === undefined ? out : [...out, accessNode(sa)];
  }

  private async _access(node: AccessNode): Promise<AccountNode[]> {
    let report;
    try {
      report = await this._health.track(node.context, node.key, this._deps.access!.report(node.context, { namespace: node.namespace, name: node.serviceAccount }));
    } catch (e) {
      return [errorNode(node.key, e)];
    }
    if (report.unknown !== undefined) {
      const missing = report.unknown.missingPermissions.join('; ');
      return [infoNode(node.key, 'unknown', 'Unknown: you may not list RBAC', undefined, `Seeing who can use this account needs: ${missing}.`)];
    }
    const basis = report.confirmation?.basis === 'server'
      ? infoNode(node.key, 'basis', 'Confirmed by the API server', undefined, 'Each subject below was checked with a SubjectAccessReview, which also covers authorizers other than RBAC.')
      : infoNode(node.key, 'basis', 'Computed from RBAC only', undefined, report.confirmation?.reason ?? 'The API server was not asked to confirm it.');
    return [basis, ...accessPathNodes(node, report)];
  }

  /** Redraws the row whose load turned slow (or settled) and its context row, which shows the cluster's health. */
  private _healthChanged(context: string, row: string | undefined): void {
    const rows = new Set([contextKey(context), ...(row === undefined ? [] : [row])]);
    for (const key of rows) {
      const node = this._nodes.get(key);
      if (node !== undefined) {
        this._deps.onDidChange(node);
      }
    }
  }

  private _tokensChanged(): void {
    for (const listing of this._listings.values()) {
      if (listing.parent.kind === 'serviceAccount') {
        this._deps.onDidChange(listing.parent);
      }
    }
  }
}

/**
 * The rows that lead to tokens stored for this context when the parent's listing failed: under the context,
 * the namespaces of its stored tokens; under a namespace, their service accounts.
 */
function storedTokenParents(parent: ContextNode | NamespaceNode, tokens: readonly StoredTokenMeta[]): AccountNode[] {
  const mine = tokens.filter((t) => t.context === parent.context && (parent.kind === 'context' || t.namespace === parent.name));
  if (parent.kind === 'context') {
    return [...new Set(mine.map((t) => t.namespace))].sort().map((ns) => namespaceNode(parent.context, ns, parent.key));
  }
  return [...new Set(mine.map((t) => t.serviceAccount))].sort().map((name) => ({
    ...serviceAccountNode(parent.context, parent.key, { namespace: parent.name, name, uid: '', annotations: {}, labels: {}, secrets: [], imagePullSecrets: [] }),
    fromTokenStore: true as const,
  }));
}

/** The row shown under a parent whose load is slow, until it answers. */
function loadingNode(parentKey: string): AccountNode {
  return { ...infoNode(parentKey, 'loading', 'Loading…', undefined, 'Waiting for the API server: it is slow to answer. The list appears when it does.'), loading: true };
}

function pagerFor(parent: ContextNode | NamespaceNode): Pager {
  if (parent.kind === 'context') {
    return async (client, options) => {
      const page = await client.listNamespaces(options);
      return { ...page, items: page.items.map((ns) => namespaceNode(parent.context, ns.name, parent.key, ns.phase)) };
    };
  }
  return async (client, options) => {
    const page = await client.listServiceAccounts({ ...options, namespace: parent.name });
    return { ...page, items: page.items.map((sa) => serviceAccountNode(parent.context, parent.key, sa)) };
  };
}
