import * as assert from 'node:assert/strict';
import { suite, teardown, test } from 'mocha';
import { TokenError } from '../../../src/core/errors';
import type { AccountNode, ContextNode, NamespaceNode, ServiceAccountNode } from '../../../src/explorer/accountNodes';
import { AccessReports } from '../../../src/explorer/accessReports';
import { AccountsModel, type RootState } from '../../../src/explorer/accountsModel';
import type { RbacSnapshot } from '../../../src/core/access';
import { legacyTokenSecret, namespace, serviceAccount } from '../../fakes/fakeClusterClient';
import { FakeClusterSession } from '../../fakes/fakeClusterSession';
import { storeOverFakes, tokenMeta } from '../../fakes/tokenStores';
import { VirtualClock } from '../../fakes/virtualClock';

/** What each test opened: closed after it, so no store timer outlives the test. */
const opened: { dispose(): void }[] = [];

function setup(options: { pageSize?: number; namespaces?: string[]; access?: boolean; clock?: VirtualClock } = {}) {
  const session = new FakeClusterSession('dev');
  const cluster = session.cluster('dev');
  const { store } = storeOverFakes();
  opened.push(store, session);
  const changes: (AccountNode | undefined)[] = [];
  const rootStates: RootState[] = [];
  const model = new AccountsModel({
    session,
    tokenStore: store,
    ...(options.access === true ? { access: new AccessReports(session) } : {}),
    settings: () => ({ pageSize: options.pageSize ?? 100, namespaces: options.namespaces ?? [] }),
    onRootState: (s) => rootStates.push(s),
    onDidChange: (node) => changes.push(node),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  opened.push(model);
  return { session, cluster, store, model, changes, rootStates };
}

const labels = (nodes: readonly AccountNode[]): string[] =>
  nodes.map((n) => ('name' in n ? `${n.kind}:${n.name}` : n.kind === 'info' ? `info:${n.message}` : n.kind === 'error' ? `error:${n.code}` : n.kind));

async function contextNode(model: AccountsModel): Promise<ContextNode> {
  const [root] = await model.getChildren();
  assert.equal(root?.kind, 'context');
  return root as ContextNode;
}

suite('explorer: AccountsModel (fake cluster)', () => {
  teardown(() => {
    for (const item of opened.splice(0)) {
      item.dispose();
    }
  });

  test('a root load overtaken by a kubeconfig change does not report its stale state', async () => {
    const { session, model, rootStates } = setup();
    let release = () => {};
    session.clientGate = new Promise<void>((resolve) => (release = resolve));
    // The first load is connecting when the setting changes to a file that does not exist.
    const stale = model.getChildren();
    await new Promise((resolve) => setImmediate(resolve)); // parked at the client gate
    session.loadError = new TokenError('ERR_KUBECONFIG_MISSING', 'The kubeconfig file /nonexistent does not exist.');
    session.activeContext = undefined;
    await session.reload();
    assert.deepEqual(await model.getChildren(), []);
    assert.equal(rootStates.at(-1)?.kubeconfigState, 'missing');
    release();
    await stale;
    assert.equal(rootStates.at(-1)?.kubeconfigState, 'missing', 'the welcome content stays: the overtaken load said nothing');
    assert.equal(rootStates.length, 1);
  });

  test('context → namespaces → service accounts, and the root state says ready', async () => {
    const { cluster, model, rootStates } = setup();
    cluster.namespaces = [namespace('build'), namespace('old', 'Terminating')];
    cluster.serviceAccounts = [serviceAccount('build', 'ci-bot'), serviceAccount('build', 'deployer'), serviceAccount('old', 'x')];
    const root = await contextNode(model);
    assert.equal(root.context, 'dev');
    assert.deepEqual(rootStates.at(-1), { kubeconfigState: 'ready', context: 'dev' });
    const namespaces = await model.getChildren(root);
    assert.deepEqual(labels(namespaces), ['namespace:build', 'namespace:old']);
    assert.equal((namespaces[1] as NamespaceNode).phase, 'Terminating');
    assert.deepEqual(labels(await model.getChildren(namespaces[0])), ['serviceAccount:ci-bot', 'serviceAccount:deployer']);
    assert.equal(model.getParent(namespaces[0]!)?.key, root.key);
  });

  test('pages with Load more, and a page whose continue token expired starts the list again', async () => {
    const { cluster, model, changes } = setup({ pageSize: 2 });
    cluster.namespaces = ['a', 'b', 'c', 'd', 'e'].map((n) => namespace(n));
    const root = await contextNode(model);
    let children = await model.getChildren(root);
    assert.deepEqual(labels(children), ['namespace:a', 'namespace:b', 'loadMore']);
    await model.loadMore(children.at(-1) as never);
    assert.equal(changes.at(-1)?.key, root.key, 'the parent is redrawn after Load more');
    children = await model.getChildren(root);
    assert.deepEqual(labels(children), ['namespace:a', 'namespace:b', 'namespace:c', 'namespace:d', 'loadMore']);
    cluster.expireContinueTokens();
    await model.loadMore(children.at(-1) as never);
    assert.deepEqual(labels(await model.getChildren(root)), ['namespace:a', 'namespace:b', 'loadMore'], 'restarted from the first page, not appended');
    assert.deepEqual(cluster.calls.filter((c) => c.method === 'listNamespaces').map((c) => c.limit), [2, 2, 2]);
  });

  test('a user who may not list namespaces sees the context\'s namespace and why', async () => {
    const { cluster, model } = setup();
    cluster.failNext('listNamespaces', new TokenError('ERR_FORBIDDEN', 'namespaces is forbidden: User "jane" cannot list resource "namespaces"'));
    const root = await contextNode(model);
    const children = await model.getChildren(root);
    assert.deepEqual(labels(children), ['info:Cannot list namespaces: showing the context\'s namespace', 'namespace:default']);
    cluster.failNext('listServiceAccounts', new TokenError('ERR_FORBIDDEN', 'serviceaccounts is forbidden: User "jane" cannot list resource "serviceaccounts"'));
    const [forbidden] = await model.getChildren(children[1]);
    assert.equal(forbidden?.kind, 'error');
    assert.equal(model.rowState(forbidden!).repeatsContextHealth, undefined, 'a forbidden listing is its own row\'s problem, not the cluster\'s');
  });

  test('the namespaces setting replaces the listing, with a note that says so', async () => {
    const { cluster, model } = setup({ namespaces: ['team-a', 'team-b'] });
    const root = await contextNode(model);
    assert.deepEqual(labels(await model.getChildren(root)), ['info:Showing 2 selected namespaces', 'namespace:team-a', 'namespace:team-b']);
    assert.equal(cluster.calls.some((c) => c.method === 'listNamespaces'), false);
  });

  test('a failed page becomes an error item; Retry loads it again', async () => {
    const { cluster, model } = setup();
    cluster.namespaces = [namespace('build')];
    cluster.failNext('listNamespaces', new TokenError('ERR_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:6443'));
    const root = await contextNode(model);
    const failed = await model.getChildren(root);
    assert.deepEqual(labels(failed), ['error:ERR_UNREACHABLE']);
    model.retry(failed[0]!);
    assert.deepEqual(labels(await model.getChildren(root)), ['namespace:build']);
  });

  test('a service account lists the tokens issued for it and its legacy token Secrets', async () => {
    const { cluster, model, store, changes } = setup();
    cluster.namespaces = [namespace('build')];
    cluster.serviceAccounts = [serviceAccount('build', 'ci-bot')];
    cluster.secrets = [legacyTokenSecret('build', 'ci-bot-token', 'ci-bot'), legacyTokenSecret('build', 'other-token', 'deployer')];
    const root = await contextNode(model);
    const [ns] = await model.getChildren(root);
    const [sa] = (await model.getChildren(ns)) as ServiceAccountNode[];
    assert.deepEqual(labels(await model.getChildren(sa)), ['legacyToken:ci-bot-token']);
    await store.add(tokenMeta({ context: 'dev', namespace: 'build', serviceAccount: 'ci-bot' }), 'token-value');
    assert.ok(changes.some((c) => c?.key === sa!.key), 'a new token redraws its service account');
    assert.deepEqual((await model.getChildren(sa)).map((n) => n.kind), ['issuedToken', 'legacyToken']);
  });

  test('secrets that may not be listed become a quiet note, not an error', async () => {
    const { cluster, model } = setup();
    cluster.namespaces = [namespace('build')];
    cluster.serviceAccounts = [serviceAccount('build', 'ci-bot')];
    cluster.failNext('listSecrets', new TokenError('ERR_FORBIDDEN', 'secrets is forbidden'));
    const [ns] = await model.getChildren(await contextNode(model));
    const [sa] = await model.getChildren(ns);
    assert.deepEqual(labels(await model.getChildren(sa)), ['info:Legacy token secrets not shown (cannot list secrets)']);
  });

  test('collapsing aborts a load in flight; the next expand loads again', async () => {
    const { cluster, model } = setup();
    cluster.namespaces = [namespace('build')];
    const root = await contextNode(model);
    const release = cluster.hold('listNamespaces');
    const loading = model.getChildren(root);
    model.collapsed(root);
    assert.deepEqual(await loading, [], 'an aborted load shows nothing (and asks for a redraw)');
    release();
    assert.deepEqual(labels(await model.getChildren(root)), ['namespace:build']);
    assert.equal(cluster.calls.filter((c) => c.method === 'listNamespaces').length, 2);
  });

  test('Go to Service Account pins an account beyond the loaded page', async () => {
    const { cluster, model } = setup({ pageSize: 1 });
    cluster.namespaces = [namespace('a'), namespace('build')];
    cluster.serviceAccounts = [serviceAccount('build', 'aaa'), serviceAccount('build', 'zzz')];
    const found = await model.locate('dev', 'build', 'zzz');
    assert.equal(found?.name, 'zzz');
    const ns = (await model.getChildren(await contextNode(model))).find((n) => n.kind === 'namespace' && n.name === 'build');
    assert.ok(ns, 'the namespace beyond the first page is pinned');
    assert.deepEqual(labels(await model.getChildren(ns)), ['serviceAccount:zzz', 'serviceAccount:aaa', 'loadMore']);
  });

  test('a kubeconfig that failed to load: missing gives an empty tree (welcome view), invalid an error item', async () => {
    const missing = setup();
    missing.session.loadError = new TokenError('ERR_KUBECONFIG_MISSING', 'The kubeconfig file /x does not exist.');
    assert.deepEqual(await missing.model.getChildren(), []);
    assert.equal(missing.rootStates.at(-1)?.kubeconfigState, 'missing');
    const invalid = setup();
    invalid.session.loadError = new TokenError('ERR_KUBECONFIG_INVALID', 'The kubeconfig /x is not valid YAML.');
    assert.deepEqual(labels(await invalid.model.getChildren()), ['error:ERR_KUBECONFIG_INVALID']);
  });

  test('a session change drops everything loaded and redraws the whole tree', async () => {
    const { cluster, session, model, changes } = setup();
    cluster.namespaces = [namespace('build')];
    await model.getChildren(await contextNode(model));
    await session.reload();
    assert.equal(changes.at(-1), undefined);
    await model.getChildren(await contextNode(model));
    assert.equal(cluster.calls.filter((c) => c.method === 'listNamespaces').length, 2);
  });

  test('an unreachable cluster: the context row says so, and the tokens stored for it stay listed', async () => {
    const { cluster, model, store, changes } = setup();
    cluster.namespaces = [namespace('build')];
    cluster.serviceAccounts = [serviceAccount('build', 'ci-bot')];
    await store.add(tokenMeta({ context: 'dev', namespace: 'build', serviceAccount: 'ci-bot' }), 'token-value');
    const refused = new TokenError('ERR_UNREACHABLE', 'Cannot reach the API server at https://127.0.0.1:6443 (connect ECONNREFUSED 127.0.0.1:6443).');
    for (const method of ['listNamespaces', 'listServiceAccounts', 'listSecrets'] as const) {
      cluster.failNext(method, refused);
    }
    const root = await contextNode(model);
    assert.equal(model.rowState(root).health?.state, 'unknown');
    const namespaces = await model.getChildren(root);
    assert.deepEqual(labels(namespaces), ['namespace:build', 'error:ERR_UNREACHABLE']);
    assert.deepEqual(model.rowState(root).health, { state: 'unreachable', code: 'ERR_UNREACHABLE', message: refused.message });
    assert.ok(changes.some((c) => c?.key === root.key), 'the context row is redrawn with the outage');
    const accounts = await model.getChildren(namespaces[0]);
    assert.deepEqual(labels(accounts), ['serviceAccount:ci-bot', 'error:ERR_UNREACHABLE']);
    assert.equal((accounts[0] as ServiceAccountNode).fromTokenStore, true);
    // The context row says it; the error rows below only mark where the listing is missing.
    assert.equal(model.rowState(namespaces[1]!).repeatsContextHealth, true);
    assert.equal(model.rowState(accounts[1]!).repeatsContextHealth, true);
    assert.deepEqual(labels(await model.getChildren(accounts[0])).slice(0, 1), ['issuedToken']);

    // Retry once the server is back: the context is reachable again and the listing is the server's.
    model.refresh(root);
    assert.deepEqual(labels(await model.getChildren(root)), ['namespace:build']);
    assert.equal(model.rowState(root).health?.state, 'reachable');
  });

  test('a reloaded kubeconfig forgets the outage: the context may lead to another server now', async () => {
    const { cluster, session, model } = setup();
    cluster.failNext('listNamespaces', new TokenError('ERR_UNREACHABLE', 'Cannot reach the API server at https://127.0.0.1:6443.'));
    await model.getChildren(await contextNode(model));
    assert.equal(model.rowState(await contextNode(model)).health?.state, 'unreachable');
    await session.reload();
    assert.equal(model.rowState(await contextNode(model)).health?.state, 'unknown');
  });

  test('a load that takes longer than a few seconds shows on its row and on the context row until it answers', async () => {
    const clock = new VirtualClock();
    const { cluster, model, changes, store } = setup({ clock });
    cluster.namespaces = [namespace('build')];
    cluster.serviceAccounts = [serviceAccount('build', 'ci-bot')];
    const root = await contextNode(model);
    const [ns] = await model.getChildren(root);
    const release = cluster.hold('listServiceAccounts');
    const loading = model.getChildren(ns);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    clock.advance(2999);
    assert.equal(model.rowState(ns!).slow, false);
    clock.advance(1);
    assert.equal(model.rowState(ns!).slow, true);
    assert.equal(model.rowState(root).health?.state, 'slow');
    assert.ok(changes.some((c) => c?.key === ns!.key) && changes.some((c) => c?.key === root.key), 'both rows are redrawn');
    // The tree gets a "Loading…" row instead of waiting (VS Code redraws a row only once its children are in).
    const placeholder = await loading;
    assert.deepEqual(labels(placeholder), ['info:Loading…']);
    assert.equal((placeholder[0] as { loading?: boolean }).loading, true);
    assert.deepEqual(labels(await model.getChildren(ns)), ['info:Loading…'], 'asked again while still slow: at once');
    // A token issued meanwhile is in SecretStorage: its account is listed above the Loading row at once.
    await store.add(tokenMeta({ context: 'dev', namespace: 'build', serviceAccount: 'deployer' }), 'token-value');
    const whileSlow = await model.getChildren(ns);
    assert.deepEqual(labels(whileSlow), ['serviceAccount:deployer', 'info:Loading…']);
    assert.equal((whileSlow[0] as ServiceAccountNode).fromTokenStore, true);
    await store.forget(store.list()[0]!.id);
    changes.length = 0;
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(changes.some((c) => c?.key === ns!.key), 'the namespace is redrawn once the answer is in');
    assert.deepEqual(labels(await model.getChildren(ns)), ['serviceAccount:ci-bot']);
    assert.equal(model.rowState(ns!).slow, false);
    assert.equal(model.rowState(root).health?.state, 'reachable');
  });

  test('rows keep the expansion the user left them in across a context switch and back', async () => {
    const { cluster, session, model } = setup();
    session.cluster('other').namespaces = [namespace('build')];
    cluster.namespaces = [namespace('build'), namespace('web')];
    const [build] = await model.getChildren(await contextNode(model));
    assert.equal(model.rowState(build!).expanded, undefined, 'untouched: the default');
    model.expanded(build!);
    await session.useContext('other');
    const [otherBuild] = await model.getChildren(await contextNode(model));
    assert.equal(model.rowState(otherBuild!).expanded, undefined, 'another context\'s rows are its own');
    await session.useContext('dev');
    const root = await contextNode(model);
    const [again] = await model.getChildren(root);
    assert.equal(model.rowState(again!).expanded, true);
    model.collapsed(root);
    assert.equal(model.rowState(root).expanded, false);
  });

  const rbac: RbacSnapshot = {
    roles: [{ kind: 'Role', name: 'token-minter', namespace: 'build', labels: {}, rules: [{ verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['ci-bot'], nonResourceURLs: [] }] }],
    clusterRoles: [],
    roleBindings: [{ kind: 'RoleBinding', name: 'jane-mints', namespace: 'build', labels: {}, subjects: [{ kind: 'User', name: 'jane' }], roleRef: { kind: 'Role', name: 'token-minter' } }],
    clusterRoleBindings: [],
  };

  async function accessChildren(model: AccountsModel): Promise<AccountNode[]> {
    const [ns] = await model.getChildren(await contextNode(model));
    const [sa] = await model.getChildren(ns);
    const access = (await model.getChildren(sa)).find((n) => n.kind === 'access');
    assert.ok(access, 'every service account has an Access node');
    return model.getChildren(access);
  }

  test('Access: who may mint tokens for the account, confirmed by the API server, with the binding', async () => {
    const { cluster, model } = setup({ access: true });
    cluster.namespaces = [namespace('build')];
    cluster.serviceAccounts = [serviceAccount('build', 'ci-bot')];
    cluster.rbac = rbac;
    const children = await accessChildren(model);
    assert.equal(labels(children)[0], 'info:Confirmed by the API server');
    const mint = children.find((n) => n.kind === 'accessPath' && n.path.kind === 'mint');
    assert.ok(mint);
    const subjects = await model.getChildren(mint);
    assert.equal(subjects.length, 1);
    const jane = subjects[0]!;
    assert.ok(jane.kind === 'accessSubject');
    assert.deepEqual(jane.subject, { kind: 'User', name: 'jane' });
    assert.deepEqual(jane.grants.map((g) => [g.binding.name, g.role.name, g.confirmation]), [['jane-mints', 'token-minter', 'confirmed']]);
    assert.ok(cluster.calls.some((c) => c.method === 'subjectAccessReview'));
  });

  test('Access: computed from RBAC only when SubjectAccessReviews are not allowed; unknown when RBAC may not be listed', async () => {
    const rbacOnly = setup({ access: true });
    rbacOnly.cluster.namespaces = [namespace('build')];
    rbacOnly.cluster.serviceAccounts = [serviceAccount('build', 'ci-bot')];
    rbacOnly.cluster.rbac = rbac;
    rbacOnly.cluster.subjectAccessReviewsAllowed = false;
    assert.equal(labels(await accessChildren(rbacOnly.model))[0], 'info:Computed from RBAC only');
    const unknown = setup({ access: true });
    unknown.cluster.namespaces = [namespace('build')];
    unknown.cluster.serviceAccounts = [serviceAccount('build', 'ci-bot')];
    unknown.cluster.rbacForbidden = ['list rolebindings.rbac.authorization.k8s.io at the cluster scope'];
    const children = await accessChildren(unknown.model);
    assert.deepEqual(labels(children), ['info:Unknown: you may not list RBAC']);
    assert.match((children[0] as { tooltip?: string }).tooltip ?? '', /list rolebindings\.rbac\.authorization\.k8s\.io at the cluster scope/);
  });
});
