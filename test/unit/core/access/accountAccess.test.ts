import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suite, test } from 'mocha';
import {
  accessReviewRequests,
  analyzeAccountAccess,
  confirmAccessReport,
  pathGrantsIdentity,
  subjectKey,
  subjectsOf,
  unknownAccessReport,
  type AccessPathKind,
  type AccountAccessReport,
} from '../../../../src/core/access/accountAccess';
import { accessReportJson, accessReportMarkdown, describeCheck } from '../../../../src/core/access/accessReportFormat';
import { RbacIndex } from '../../../../src/core/access/rbacIndex';
import { toClusterRole, toRbacSnapshot, type RbacSnapshot } from '../../../../src/core/access/rbacObjects';
import { identityOf } from '../../../../src/core/access/ruleMatching';

/** This file runs as dist/test/unit/core/access/*.test.js. */
const fixtures = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures');

type Item = { kind: string; [k: string]: unknown };
const load = (file: string) => (JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as { items: Item[] }).items;

/** The real control plane's recorded RBAC plus the access fixture, as the cluster test applies it. */
function recordedSnapshot(extra: Item[] = []): RbacSnapshot {
  const items = [...load('rbac-bootstrap.json'), ...load('access-rbac.json'), ...extra];
  const of = (kind: string) => items.filter((i) => i.kind === kind);
  return toRbacSnapshot({ roles: of('Role'), clusterRoles: of('ClusterRole'), roleBindings: of('RoleBinding'), clusterRoleBindings: of('ClusterRoleBinding') });
}

const recorded = RbacIndex.build(recordedSnapshot());
const ledger = analyzeAccountAccess(recorded, { namespace: 'payments', name: 'ledger', legacyTokenSecrets: ['ledger-token-old'] });

function who(report: AccountAccessReport, kind: AccessPathKind, pending = false): string[] {
  const path = report.paths.find((p) => p.kind === kind)!;
  return [...new Set(path.grants.filter((g) => (g.pendingAggregationFrom !== undefined) === pending).map((g) => subjectKey(g.subject)))];
}

suite('access analysis over recorded RBAC (bootstrap policy of the pinned release + the access fixture)', () => {
  test('the five ways, in order, with their checks; escalation is second-order', () => {
    assert.deepEqual(ledger.paths.map((p) => p.kind), ['mint', 'runAs', 'impersonate', 'readLegacyTokens', 'escalate']);
    assert.deepEqual(ledger.paths.map((p) => p.secondOrder), [false, false, false, false, true]);
    const checks = Object.fromEntries(ledger.paths.map((p) => [p.kind, p.checks.map(describeCheck)]));
    assert.deepEqual(checks.mint, ['create serviceaccounts/token "ledger"']);
    assert.deepEqual(checks.runAs, ['create pods', 'create deployments.apps', 'create replicasets.apps', 'create statefulsets.apps', 'create daemonsets.apps', 'create jobs.batch', 'create cronjobs.batch', 'create replicationcontrollers']);
    assert.deepEqual(checks.impersonate, ['impersonate serviceaccounts "ledger"', 'impersonate users "system:serviceaccount:payments:ledger"']);
    assert.deepEqual(checks.readLegacyTokens, ['get secrets "ledger-token-old"', 'list secrets', 'watch secrets']);
    assert.equal(checks.escalate!.length, 7);
    assert.equal(ledger.account.username, 'system:serviceaccount:payments:ledger');
  });

  test('mint: resourceNames, */token, a namespace-less ServiceAccount subject, the bootstrap controller-manager; never serviceaccounts/* or serviceaccounts', () => {
    const mint = who(ledger, 'mint');
    for (const s of ['User:alice', 'Group:access:token-ops', 'ServiceAccount:payments/ledger', 'User:grace', 'Group:system:masters', 'User:system:kube-controller-manager']) {assert.ok(mint.includes(s), `${s} in ${mint.join(', ')}`);}
    assert.ok(!mint.includes('User:mallory'));
    const paymentsApi = analyzeAccountAccess(recorded, { namespace: 'payments', name: 'payments-api' });
    assert.ok(!who(paymentsApi, 'mint').includes('User:alice'), 'alice may mint for ledger only');
    const local = ledger.paths[0]!.grants.find((g) => g.subject.kind === 'ServiceAccount' && g.subject.name === 'ledger')!;
    assert.deepEqual(local.subject, { kind: 'ServiceAccount', name: 'ledger', namespace: 'payments' });
    assert.deepEqual(local.role, { kind: 'Role', name: 'access-local-minter' });
  });

  test('runAs: wildcards, groups of service accounts, stored aggregated rules; pending aggregation is flagged with the role that holds the rule', () => {
    const runAs = who(ledger, 'runAs');
    for (const s of ['ServiceAccount:build/deployer', 'Group:system:serviceaccounts:build', 'User:judy', 'User:dave', 'User:grace']) {assert.ok(runAs.includes(s), s);}
    assert.ok(!runAs.includes('User:henry'), 'a RoleBinding in build grants nothing in payments');
    assert.ok(!runAs.includes('User:erin'));
    const pending = ledger.paths[1]!.grants.filter((g) => g.pendingAggregationFrom !== undefined);
    assert.deepEqual([...new Set(pending.map((g) => `${subjectKey(g.subject)} ${g.pendingAggregationFrom}`))].sort(), [
      'Group:access:editors system:aggregate-to-edit',
      'User:erin access:pending-source',
      'User:frank system:aggregate-to-edit',
    ]);
    const deployer = ledger.paths[1]!.grants.find((g) => g.subject.name === 'deployer')!;
    assert.deepEqual(deployer.rule.verbs, ['*']);
    assert.equal(describeCheck(deployer.check), 'create deployments.apps');
  });

  test('impersonate: by service account name, by user name, and by an unnamed rule; cluster-scoped users only through ClusterRoleBindings', () => {
    const imp = who(ledger, 'impersonate').filter((s) => !s.startsWith('Group:system:') && !s.startsWith('User:system:'));
    assert.deepEqual(imp.sort(), ['User:grace', 'User:imp-user', 'User:mallory']);
    const users = ledger.paths[2]!.grants.filter((g) => g.check.resource === 'users');
    assert.ok(users.every((g) => g.binding.kind === 'ClusterRoleBinding'));
  });

  test('legacy tokens: only when the account has some; named gets count for that Secret only', () => {
    assert.ok(who(ledger, 'readLegacyTokens').includes('User:bob'));
    assert.ok(who(ledger, 'readLegacyTokens').includes('Group:system:authenticated'));
    const none = analyzeAccountAccess(recorded, { namespace: 'payments', name: 'payments-api' });
    assert.equal(none.paths[3]!.applicable, false);
    assert.deepEqual(none.paths[3]!.grants, []);
    const otherSecret = analyzeAccountAccess(recorded, { namespace: 'payments', name: 'ledger', legacyTokenSecrets: ['ledger-token-new'] });
    assert.ok(!who(otherSecret, 'readLegacyTokens').includes('User:bob'));
  });

  test('escalate and dangling bindings', () => {
    assert.ok(who(ledger, 'escalate').includes('User:carol'));
    assert.ok(who(ledger, 'escalate').includes('Group:system:serviceaccounts'));
    assert.deepEqual(ledger.danglingBindings, [{ binding: { kind: 'RoleBinding', name: 'access-dangling', namespace: 'payments' }, roleRef: { kind: 'Role', name: 'does-not-exist' } }]);
  });

  test('grants are sorted users, groups, service accounts; subjectsOf groups them one row per subject', () => {
    const mint = ledger.paths[0]!;
    const kinds = mint.grants.map((g) => g.subject.kind);
    assert.deepEqual(kinds, [...kinds].sort((a, b) => ['User', 'Group', 'ServiceAccount'].indexOf(a) - ['User', 'Group', 'ServiceAccount'].indexOf(b)));
    const rows = subjectsOf(mint);
    assert.equal(new Set(rows.map((r) => subjectKey(r.subject))).size, rows.length);
    assert.equal(rows.reduce((n, r) => n + r.grants.length, 0), mint.grants.length);
  });

  test('pathGrantsIdentity: a service account is granted through its groups; pending aggregation grants nobody', () => {
    const escalate = ledger.paths[4]!;
    assert.ok(pathGrantsIdentity(escalate, identityOf({ kind: 'ServiceAccount', namespace: 'web', name: 'frontend' })), 'system:serviceaccounts may write rolebindings in payments');
    assert.ok(!pathGrantsIdentity(escalate, identityOf({ kind: 'User', name: 'frontend' })));
    assert.ok(!pathGrantsIdentity(ledger.paths[1]!, identityOf({ kind: 'User', name: 'erin' })));
  });

  test('once aggregated roles hold their rules (what the controller writes), the grants are no longer pending', () => {
    const filled = recordedSnapshot().clusterRoles.map((r) => (r.name === 'access:aggregated-pending' ? { ...r, rules: recorded.clusterRole('access:pending-source')!.rules } : r));
    const index = RbacIndex.build({ ...recordedSnapshot(), clusterRoles: filled });
    const report = analyzeAccountAccess(index, { namespace: 'payments', name: 'ledger' });
    assert.ok(who(report, 'runAs').includes('User:erin'));
    assert.ok(!who(report, 'runAs', true).includes('User:erin'));
  });

  test('authorize: the authorizer\'s decision and its reason, from stored rules only', () => {
    const check = ledger.paths[0]!.checks[0]!;
    assert.deepEqual(recorded.authorize({ user: 'alice', groups: [] }, check), { allowed: true, reason: 'RBAC: allowed by RoleBinding "access-named-minter/payments" of ClusterRole "access:token-minter-named" to User "alice"' });
    assert.deepEqual(recorded.authorize({ user: 'mallory', groups: [] }, check), { allowed: false });
    assert.equal(recorded.authorize({ user: 'erin', groups: [] }, ledger.paths[1]!.checks[3]!).allowed, false);
    assert.equal(recorded.authorize({ user: 'x', groups: ['system:masters'] }, { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'web' }).allowed, true);
  });

  test('an aggregated role served with "rules": null projects to no rules, keeping its selectors', () => {
    const role = toClusterRole({ metadata: { name: 'admin' }, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } });
    assert.deepEqual(role.rules, []);
    assert.deepEqual(role.aggregationSelectors, [{ matchLabels: { a: 'b' }, matchExpressions: [] }]);
  });
});

suite('access reports: review requests, confirmation, JSON and Markdown', () => {
  test('one review per distinct subject and check; confirmation marks each grant', () => {
    const requests = accessReviewRequests(ledger);
    assert.equal(new Set(requests.map((r) => r.key)).size, requests.length);
    const grants = ledger.paths.flatMap((p) => p.grants).length;
    assert.ok(requests.length <= grants && requests.length > 0);
    const answers = new Map(requests.map((r) => [r.key, r.subject.name !== 'alice']));
    const confirmed = confirmAccessReport(ledger, answers);
    assert.equal(confirmed.confirmation?.basis, 'server');
    const alice = confirmed.paths[0]!.grants.find((g) => g.subject.name === 'alice')!;
    assert.equal(alice.confirmation, 'denied');
    assert.ok(confirmed.paths[0]!.grants.filter((g) => g.subject.name !== 'alice').every((g) => g.confirmation === 'confirmed'));
    const computed = confirmAccessReport(ledger, undefined, 'no SubjectAccessReviews');
    assert.deepEqual(computed.confirmation, { basis: 'rbacOnly', reason: 'no SubjectAccessReviews' });
    assert.ok(computed.paths.flatMap((p) => p.grants).every((g) => g.confirmation === 'computed'));
  });

  test('JSON is the report itself, indented', () => {
    const json = accessReportJson(ledger);
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(ledger)));
    assert.ok(json.endsWith('}\n'));
    assert.match(json, /\n {2}"account": \{/);
  });

  test('Markdown: one row per grant, with way, subject, check, binding → role and status; pipes escaped', () => {
    const odd = RbacIndex.build(recordedSnapshot([
      { kind: 'RoleBinding', metadata: { name: 'odd', namespace: 'payments' }, subjects: [{ kind: 'User', name: 'a|b' }], roleRef: { kind: 'ClusterRole', name: 'access:pod-creator' } },
    ]));
    const report = confirmAccessReport(analyzeAccountAccess(odd, { namespace: 'payments', name: 'payments-api' }), new Map());
    const md = accessReportMarkdown(report);
    const lines = md.split('\n');
    assert.equal(lines[0], '# Who can get the credentials of service account payments/payments-api');
    assert.ok(lines.includes('| way | subject | grants | via | status |'));
    assert.ok(lines.includes('| Run workloads as it | User a\\|b | create pods | RoleBinding payments/odd → ClusterRole access:pod-creator | computed from RBAC only |'), md);
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| way'));
    assert.equal(rows.length, report.paths.flatMap((p) => p.grants).length);
    assert.ok(lines.includes('Not applicable: Read its legacy tokens (the account has no legacy token Secrets).'));
    assert.ok(md.includes('- RoleBinding payments/access-dangling → Role does-not-exist'));
    assert.ok(accessReportMarkdown(ledger).includes('pending aggregation from ClusterRole access:pending-source (not honoured yet)'));
  });

  test('an unknown report says which permissions were missing', () => {
    const report = unknownAccessReport({ namespace: 'build', name: 'ci-bot' }, ['list rolebindings.rbac.authorization.k8s.io at the cluster scope']);
    assert.deepEqual(report.paths, []);
    assert.equal(accessReportMarkdown(report), '# Who can get the credentials of service account build/ci-bot\n\nUnknown: the RBAC objects could not be listed (missing: list rolebindings.rbac.authorization.k8s.io at the cluster scope).\n');
    assert.deepEqual(JSON.parse(accessReportJson(report)).unknown, { missingPermissions: ['list rolebindings.rbac.authorization.k8s.io at the cluster scope'] });
  });
});
