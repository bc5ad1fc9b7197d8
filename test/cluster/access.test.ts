// Who can get a service account's credentials: the analysis (src/core/access) over the RBAC the kube
// layer lists, held to SubjectAccessReviews of the same server in both directions, on both servers,
// which must also agree with each other.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import {
  accessChecks,
  accessReviewRequests,
  analyzeAccountAccess,
  confirmAccessReport,
  pathGrantsIdentity,
  subjectKey,
  type AccessAccount,
  type AccountAccessReport,
} from '../../src/core/access/accountAccess';
import { attributesKey, RbacIndex } from '../../src/core/access/rbacIndex';
import { identityOf, serviceAccountGroups, serviceAccountUsername, type Identity, type ResourceAttributes } from '../../src/core/access/ruleMatching';
import type { RbacSubject } from '../../src/core/access/rbacObjects';
import type { ClusterClient } from '../../src/kube/clusterClient';
import { createClusterClient, loadKubeconfig } from '../../src/kube/index';
import { repoRoot } from '../harness/paths';
import { clusterKinds, startCluster, type ClusterKind, type TestCluster } from './clusters';
import { call, type Server } from './helpers';

const rbacGroup = 'rbac.authorization.k8s.io';
type Json = Record<string, any>;

const accessFixture = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'access-rbac.json'), 'utf8')) as { items: Json[] };
const bootstrapFixture = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'rbac-bootstrap.json'), 'utf8')) as { items: Json[] };

const plural: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

function objectPath(o: Json, withName = false): string {
  const ns = o.metadata.namespace as string | undefined;
  const base = `/apis/${rbacGroup}/v1${ns ? `/namespaces/${ns}` : ''}/${plural[o.kind as string]}`;
  return withName ? `${base}/${encodeURIComponent(o.metadata.name as string)}` : base;
}

/** What authorization reads of an object, in a form two servers can be compared by. */
function normalized(kind: string, o: Json): Json {
  const m = o.metadata ?? {};
  const out: Json = { kind, name: m.name, namespace: m.namespace ?? null, labels: m.labels ?? {}, annotations: m.annotations ?? {} };
  for (const key of ['rules', 'aggregationRule', 'subjects', 'roleRef']) {
    if (key in o) {out[key] = o[key];}
  }
  return out;
}

const sortKey = (o: Json) => `${o.kind}/${o.namespace ?? ''}/${o.name}`;
const byKey = (a: Json, b: Json) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0);

/** Every object of the four kinds, every page, raw. */
async function listAllRbac(server: Server): Promise<Json[]> {
  const out: Json[] = [];
  for (const [kind, resource] of Object.entries(plural)) {
    let cont = '';
    do {
      const r = await call(server, `/apis/${rbacGroup}/v1/${resource}?limit=50${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      for (const item of r.json.items as Json[]) {out.push(normalized(kind, item));}
      cont = r.json.metadata.continue ?? '';
    } while (cont);
  }
  return out.sort(byKey);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/** The accounts asked about, from the demo fixture; the legacy token Secrets are read from the server. */
const accounts: readonly { namespace: string; name: string }[] = [
  { namespace: 'payments', name: 'ledger' },
  { namespace: 'payments', name: 'payments-api' },
  { namespace: 'build', name: 'ci-bot' },
  { namespace: 'web', name: 'frontend' },
];

/** Identities no binding names, so the server must deny them everything here. */
const strangers: readonly RbacSubject[] = [
  { kind: 'User', name: 'nobody' },
  { kind: 'Group', name: 'access:nobody' },
  { kind: 'ServiceAccount', namespace: 'web', name: 'cdn-purger' },
  { kind: 'ServiceAccount', namespace: 'ml-platform', name: 'trainer' },
];

/**
 * Every subject that any binding able to grant in `namespace` names, plus strangers. Node identities
 * are left out: the Node authorizer answers for them whatever RBAC says (its own test below).
 */
function candidateSubjects(index: RbacIndex, namespace: string): RbacSubject[] {
  const byKey = new Map<string, RbacSubject>();
  for (const binding of index.bindingsFor(namespace)) {
    for (const s of binding.subjects) {
      const resolved: RbacSubject = s.kind === 'ServiceAccount' && s.namespace === undefined ? { ...s, namespace: binding.kind === 'RoleBinding' ? binding.namespace : '' } : s;
      if (resolved.kind === 'ServiceAccount' && resolved.namespace === '') {continue;}
      if ((resolved.kind === 'Group' && resolved.name === 'system:nodes') || (resolved.kind === 'User' && resolved.name.startsWith('system:node:'))) {continue;}
      byKey.set(subjectKey(resolved), resolved);
    }
  }
  for (const s of strangers) {byKey.set(subjectKey(s), s);}
  return [...byKey.values()];
}

interface Disagreement {
  subject: string;
  check: string;
  analysis: boolean;
  server: boolean;
  reason?: string;
}

const observed = new Map<ClusterKind, { lists: Json[]; reports: Map<string, AccountAccessReport>; filledReports: Map<string, AccountAccessReport> }>();

for (const kind of clusterKinds) {
  suite(`${kind}: who can get a service account's credentials, computed from RBAC and confirmed by SubjectAccessReview`, function () {
    let cluster: TestCluster;
    const clients: ClusterClient[] = [];
    const client = (context: string): ClusterClient => {
      const c = createClusterClient(loadKubeconfig({ paths: cluster.kubeconfigPath }), { context });
      clients.push(c);
      return c;
    };
    let admin: ClusterClient;
    const result = { lists: [] as Json[], reports: new Map<string, AccountAccessReport>(), filledReports: new Map<string, AccountAccessReport>() };

    async function indexNow(): Promise<RbacIndex> {
      const listing = await admin.listRbac({ limit: 40 });
      assert.equal(listing.complete, true, listing.missingPermissions.join('; '));
      return RbacIndex.build(listing.snapshot);
    }

    async function accessAccount(namespace: string, name: string): Promise<AccessAccount> {
      const secrets = await admin.listSecrets(namespace);
      const legacy = secrets.items.filter((s) => s.type === 'kubernetes.io/service-account-token' && s.serviceAccountName === name).map((s) => s.name).sort();
      return { namespace, name, legacyTokenSecrets: legacy };
    }

    /** Asks the server about every candidate and every check of the account; returns where it disagrees with the analysis. */
    async function disagreements(index: RbacIndex, report: AccountAccessReport, account: AccessAccount): Promise<{ disagreements: Disagreement[]; asked: number; allowed: number }> {
      const pairs: { subject: RbacSubject; identity: Identity; check: ResourceAttributes; analysis: boolean }[] = [];
      for (const subject of candidateSubjects(index, account.namespace)) {
        const identity = identityOf(subject);
        for (const path of report.paths) {
          for (const check of path.checks) {pairs.push({ subject, identity, check, analysis: pathGrantsIdentity(path, identity, check) });}
        }
      }
      let allowed = 0;
      const answers = await mapLimit(pairs, 8, async (p) => {
        const r = await admin.subjectAccessReview({ ...(p.identity.user === undefined ? {} : { user: p.identity.user }), groups: p.identity.groups, resourceAttributes: p.check });
        assert.equal(r.available, true);
        return r;
      });
      const out: Disagreement[] = [];
      pairs.forEach((p, i) => {
        const answer = answers[i]!;
        if (!answer.available) {return;}
        if (answer.allowed) {allowed++;}
        if (answer.allowed !== p.analysis) {
          out.push({ subject: subjectKey(p.subject), check: `${attributesKey(p.check).replace(/\0/g, ' ')} in ${p.check.namespace ?? '(cluster)'}`, analysis: p.analysis, server: answer.allowed, ...(answer.reason ? { reason: answer.reason } : {}) });
        }
      });
      return { disagreements: out, asked: pairs.length, allowed };
    }

    suiteSetup(async () => {
      cluster = await startCluster(kind);
      admin = client(cluster.contexts.admin);
      for (const item of accessFixture.items) {
        const r = await call(cluster, objectPath(item), { body: item });
        assert.equal(r.status, 201, `${item.kind} ${item.metadata.name}: ${r.text}`);
      }
    });
    suiteTeardown(async () => {
      observed.set(kind, result);
      for (const c of clients) {c.dispose();}
      await cluster?.close();
    });

    test('the RBAC lists are the recorded bootstrap policy of the pinned release plus the fixture, as applied', async () => {
      const lists = await listAllRbac(cluster);
      const expected = [...bootstrapFixture.items, ...accessFixture.items].map((o) => {
        const n = normalized(o.kind as string, o);
        // Fields the API server serialises without omitempty, and the Subject defaulting of the RBAC API group.
        if ((o.kind === 'Role' || o.kind === 'ClusterRole') && !('rules' in n)) {n.rules = null;}
        if (Array.isArray(n.subjects)) {n.subjects = n.subjects.map((s: Json) => (s.kind !== 'ServiceAccount' && !s.apiGroup ? { ...s, apiGroup: rbacGroup } : s));}
        return n;
      }).sort(byKey);
      assert.deepEqual(lists, expected, 'the server\'s RBAC differs from test/fixtures/rbac-bootstrap.json + access-rbac.json (after a release bump, record the bootstrap policy again)');
      result.lists = lists;
    });

    test('kube layer: listRbac reads every page of the four kinds into the snapshot', async () => {
      const listing = await admin.listRbac({ limit: 7 });
      assert.equal(listing.complete, true);
      assert.deepEqual(listing.missingPermissions, []);
      const count = (k: string) => bootstrapFixture.items.filter((o) => o.kind === k).length + accessFixture.items.filter((o) => o.kind === k).length;
      assert.equal(listing.snapshot.clusterRoles.length, count('ClusterRole'));
      assert.equal(listing.snapshot.clusterRoleBindings.length, count('ClusterRoleBinding'));
      assert.equal(listing.snapshot.roles.length, count('Role'));
      assert.equal(listing.snapshot.roleBindings.length, count('RoleBinding'));
      const admin_ = listing.snapshot.clusterRoles.find((r) => r.name === 'admin')!;
      // No clusterrole-aggregation controller runs here: the aggregated bootstrap roles are stored empty.
      assert.deepEqual(admin_.rules, []);
      assert.deepEqual(admin_.aggregationSelectors, [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, matchExpressions: [] }]);
      const local = listing.snapshot.roleBindings.find((b) => b.name === 'access-local-minter')!;
      assert.deepEqual(local.subjects, [{ kind: 'ServiceAccount', name: 'ledger' }], 'a RoleBinding\'s service account may leave its namespace out');
    });

    for (const { namespace, name } of accounts) {
      test(`${namespace}/${name}: every (subject, check) the analysis answers is what SubjectAccessReview answers`, async () => {
        const index = await indexNow();
        const account = await accessAccount(namespace, name);
        const report = analyzeAccountAccess(index, account);
        result.reports.set(`${namespace}/${name}`, report);
        const { disagreements: found, asked, allowed } = await disagreements(index, report, account);
        assert.deepEqual(found, [], `${found.length} of ${asked} answers differ`);
        assert.ok(allowed > 0 && allowed < asked, `the candidates must include allowed and denied ones (${allowed} of ${asked} allowed)`);
        // The confirmation the UI shows: a grant is confirmed unless it waits for aggregation.
        const confirmations = await mapLimit(accessReviewRequests(report), 8, async (r) => [r.key, (await admin.subjectAccessReview({ ...(r.identity.user === undefined ? {} : { user: r.identity.user }), groups: r.identity.groups, resourceAttributes: r.check })) ] as const);
        const answers = new Map(confirmations.map(([key, a]) => [key, a.available && a.allowed]));
        const confirmed = confirmAccessReport(report, answers);
        for (const path of confirmed.paths) {
          for (const g of path.grants) {
            const expected = pathGrantsIdentity(path, identityOf(g.subject), g.check) ? 'confirmed' : 'denied';
            assert.equal(g.confirmation, expected, `${subjectKey(g.subject)} ${attributesKey(g.check)}`);
          }
        }
        const denied = confirmed.paths.some((p) => p.grants.some((g) => g.confirmation === 'denied'));
        const waitingForAggregation = report.paths.some((p) => p.grants.some((g) => g.pendingAggregationFrom !== undefined && !pathGrantsIdentity(p, identityOf(g.subject), g.check)));
        assert.equal(denied, waitingForAggregation);
      });
    }

    test('payments/ledger: the expected subjects per way, with binding and role', () => {
      const report = result.reports.get('payments/ledger');
      assert.ok(report, 'the ledger test ran first');
      const ways = Object.fromEntries(report.paths.map((p) => [p.kind, p]));
      const who = (kind: string) => [...new Set(ways[kind]!.grants.filter((g) => g.pendingAggregationFrom === undefined).map((g) => subjectKey(g.subject)))];
      const pendingWho = (kind: string) => [...new Set(ways[kind]!.grants.filter((g) => g.pendingAggregationFrom !== undefined).map((g) => subjectKey(g.subject)))];
      assert.deepEqual(report.legacyTokenSecrets, ['ledger-token-old']);
      // resourceNames, */token, a namespace-less ServiceAccount subject, cluster-admin; not serviceaccounts/* nor serviceaccounts.
      for (const s of ['User:alice', 'User:grace', 'Group:access:token-ops', 'Group:system:masters', 'ServiceAccount:payments/ledger']) {assert.ok(who('mint').includes(s), `mint: ${s} in ${who('mint').join(', ')}`);}
      assert.ok(!who('mint').includes('User:mallory'));
      const alice = ways.mint!.grants.find((g) => g.subject.name === 'alice')!;
      assert.deepEqual({ binding: alice.binding, role: alice.role }, { binding: { kind: 'RoleBinding', name: 'access-named-minter', namespace: 'payments' }, role: { kind: 'ClusterRole', name: 'access:token-minter-named' } });
      // Wildcard verbs, wildcard groups, groups of service accounts, a Role, a filled aggregated role; a binding in build grants nothing here.
      for (const s of ['ServiceAccount:build/deployer', 'Group:system:serviceaccounts:build', 'User:judy', 'ServiceAccount:payments/payments-api', 'User:dave']) {assert.ok(who('runAs').includes(s), `runAs: ${s} in ${who('runAs').join(', ')}`);}
      assert.ok(!who('runAs').includes('User:henry'));
      assert.ok(!who('runAs').includes('User:kim'));
      // Aggregation the controller has not applied: computed, flagged, and (above) denied by the server.
      assert.ok(pendingWho('runAs').includes('User:erin'));
      assert.ok(pendingWho('runAs').includes('User:frank'), 'admin selects edit, which selects system:aggregate-to-edit');
      assert.ok(pendingWho('runAs').includes('Group:access:editors'));
      assert.ok(!who('runAs').includes('User:erin'));
      assert.deepEqual(who('impersonate').filter((s) => s.startsWith('User:') && !s.startsWith('User:system:')).sort(), ['User:grace', 'User:imp-user', 'User:mallory']);
      assert.ok(who('readLegacyTokens').includes('User:bob'));
      assert.ok(who('readLegacyTokens').includes('Group:system:authenticated'));
      assert.ok(ways.escalate!.secondOrder);
      assert.ok(who('escalate').includes('User:carol'));
      assert.ok(who('escalate').includes('Group:system:serviceaccounts'));
      assert.deepEqual(report.danglingBindings, [{ binding: { kind: 'RoleBinding', name: 'access-dangling', namespace: 'payments' }, roleRef: { kind: 'Role', name: 'does-not-exist' } }]);
    });

    test('payments/payments-api: resourceNames keep alice and bob out; no legacy tokens, so none to read', () => {
      const report = result.reports.get('payments/payments-api');
      assert.ok(report);
      const ways = Object.fromEntries(report.paths.map((p) => [p.kind, p]));
      const who = (kind: string) => new Set(ways[kind]!.grants.map((g) => subjectKey(g.subject)));
      assert.ok(!who('mint').has('User:alice'));
      assert.ok(who('impersonate').has('User:imp-sa'));
      assert.ok(!who('impersonate').has('User:imp-user'));
      assert.equal(ways.readLegacyTokens!.applicable, false);
      assert.deepEqual(ways.readLegacyTokens!.grants, []);
    });

    test('build/ci-bot and web/frontend: a RoleBinding to a ClusterRole grants in its own namespace only', () => {
      const ciBot = result.reports.get('build/ci-bot')!;
      const frontend = result.reports.get('web/frontend')!;
      const who = (r: AccountAccessReport, kind: string) => new Set(r.paths.find((p) => p.kind === kind)!.grants.map((g) => subjectKey(g.subject)));
      assert.ok(who(ciBot, 'runAs').has('User:henry'));
      assert.ok(who(ciBot, 'mint').has('User:jane'), 'jane-build (access.go) lets jane mint in build');
      assert.ok(!who(ciBot, 'runAs').has('User:kim'));
      assert.ok(who(frontend, 'mint').has('User:kim'));
      assert.ok(who(frontend, 'readLegacyTokens').size === 0);
      assert.ok(!who(frontend, 'runAs').has('User:henry'));
    });

    test('aggregated roles filled in as the clusterrole-aggregation controller does: admin and edit grant, confirmed by the server', async () => {
      await fillAggregatedRoles(cluster);
      const index = await indexNow();
      const account = await accessAccount('payments', 'ledger');
      const report = analyzeAccountAccess(index, account);
      result.filledReports.set('payments/ledger', report);
      const runAs = report.paths.find((p) => p.kind === 'runAs')!;
      assert.deepEqual(runAs.grants.filter((g) => g.pendingAggregationFrom !== undefined), []);
      const identities = new Set(runAs.grants.map((g) => subjectKey(g.subject)));
      for (const s of ['User:frank', 'Group:access:editors', 'User:erin']) {assert.ok(identities.has(s), s);}
      const { disagreements: found, asked } = await disagreements(index, report, account);
      assert.deepEqual(found, [], `${found.length} of ${asked} answers differ`);
    });

    test('403: jane may neither list RBAC nor create SubjectAccessReviews; the listing names each missing permission', async () => {
      const jane = client(cluster.contexts.limited);
      const listing = await jane.listRbac();
      assert.equal(listing.complete, false);
      assert.deepEqual(listing.missingPermissions, ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].map((r) => `list ${r}.${rbacGroup} at the cluster scope`));
      const review = await jane.subjectAccessReview({ user: 'jane', resourceAttributes: { verb: 'get', group: '', resource: 'pods', namespace: 'build' } });
      assert.equal(review.available, false);
      assert.ok(!review.available && review.missingPermission === 'create subjectaccessreviews.authorization.k8s.io at the cluster scope');
      assert.ok(!review.available && /cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope/.test(review.message), !review.available ? review.message : '');
    });

    test('sandbox-exec may list RBAC (the fixture grants it) but not ask the server: the report is computed from RBAC only', async () => {
      const exec = client(cluster.contexts.exec);
      const listing = await exec.listRbac();
      assert.equal(listing.complete, true, listing.missingPermissions.join('; '));
      const report = analyzeAccountAccess(RbacIndex.build(listing.snapshot), await accessAccount('payments', 'ledger'));
      const review = await exec.subjectAccessReview({ user: 'alice', resourceAttributes: accessChecks({ namespace: 'payments', name: 'ledger' })[0]!.checks[0]! });
      assert.equal(review.available, false);
      const computed = confirmAccessReport(report, undefined, 'you may not create subjectaccessreviews');
      assert.equal(computed.confirmation?.basis, 'rbacOnly');
      assert.ok(computed.paths.flatMap((p) => p.grants).every((g) => g.confirmation === 'computed'));
      assert.ok(computed.paths.find((p) => p.kind === 'mint')!.grants.some((g) => g.subject.name === 'alice'));
    });

    if (kind === 'kube-apiserver') {
      test('the Node authorizer lets a node mint tokens for the account of a pod bound to it, which RBAC alone cannot show', async () => {
        const index = await indexNow();
        const report = analyzeAccountAccess(index, { namespace: 'payments', name: 'payments-api' });
        const node: Identity = { user: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] };
        const mint = report.paths.find((p) => p.kind === 'mint')!;
        assert.equal(pathGrantsIdentity(mint, node), false);
        const onNode = await admin.subjectAccessReview({ user: node.user!, groups: node.groups, resourceAttributes: mint.checks[0]! });
        assert.ok(onNode.available && onNode.allowed, JSON.stringify(onNode));
        // payments/ledger's pod runs on worker-2: worker-1 may not.
        const other = await admin.subjectAccessReview({ user: node.user!, groups: node.groups, resourceAttributes: { ...mint.checks[0]!, name: 'ledger' } });
        assert.ok(other.available && !other.allowed, JSON.stringify(other));
      });
    }

    test('a service account\'s identity for review: its user name and the groups its token carries', () => {
      assert.deepEqual(identityOf({ kind: 'ServiceAccount', namespace: 'payments', name: 'ledger' }), { user: serviceAccountUsername('payments', 'ledger'), groups: serviceAccountGroups('payments') });
    });
  });
}

suite('access: the sandbox and kube-apiserver agree', () => {
  test('the same RBAC lists and the same report for every account, before and after aggregation is filled in', () => {
    const real = observed.get('kube-apiserver');
    const sandbox = observed.get('sandbox');
    const ranInFull = (r: typeof real) => r !== undefined && r.lists.length > 0 && r.reports.size === accounts.length && r.filledReports.size === 1;
    assert.ok(ranInFull(real) && ranInFull(sandbox), 'both servers\' suites must have run in full in this process (run the file without --grep)');
    assert.deepEqual(sandbox!.lists, real!.lists);
    assert.deepEqual(sandbox!.reports, real!.reports);
    assert.deepEqual(sandbox!.filledReports, real!.filledReports);
  });
});

/** What the clusterrole-aggregation controller does: each aggregated role gets the union of the selected roles' rules, until nothing changes. */
async function fillAggregatedRoles(server: Server): Promise<void> {
  const r = await call(server, `/apis/${rbacGroup}/v1/clusterroles`);
  assert.equal(r.status, 200, r.text);
  const roles = r.json.items as Json[];
  const selects = (selector: Json, labels: Record<string, string>) => Object.entries((selector.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
  const changed = new Set<Json>();
  for (let round = 0; round < 10; round++) {
    let any = false;
    for (const role of roles.filter((x) => x.aggregationRule)) {
      const sources = roles
        .filter((x) => x !== role && (role.aggregationRule.clusterRoleSelectors as Json[]).some((s) => selects(s, x.metadata.labels ?? {})))
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
      const rules: Json[] = [];
      for (const rule of sources.flatMap((s) => (s.rules ?? []) as Json[])) {
        if (!rules.some((x) => JSON.stringify(x) === JSON.stringify(rule))) {rules.push(rule);}
      }
      if (JSON.stringify(rules) !== JSON.stringify(role.rules ?? [])) {
        role.rules = rules;
        changed.add(role);
        any = true;
      }
    }
    if (!any) {break;}
  }
  for (const role of changed) {
    const { managedFields: _managedFields, ...metadata } = role.metadata as Json;
    const put = await call(server, objectPath({ ...role, kind: 'ClusterRole' }, true), { method: 'PUT', body: { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', ...role, metadata } });
    assert.equal(put.status, 200, `${role.metadata.name}: ${put.text}`);
  }
}
