import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { analyzeAccountAccess } from '../../../../src/core/access/accountAccess';
import { RbacIndex } from '../../../../src/core/access/rbacIndex';
import type { ClusterRoleBinding, RbacSnapshot, RoleBinding } from '../../../../src/core/access/rbacObjects';

const podCreator = { kind: 'ClusterRole' as const, name: 'pod-creator', labels: {}, rules: [{ verbs: ['create'], apiGroups: [''], resources: ['pods'], resourceNames: [], nonResourceURLs: [] }] };

function binding(namespace: string, name: string, user: string): RoleBinding {
  return { kind: 'RoleBinding', namespace, name, labels: {}, subjects: [{ kind: 'User', name: user }], roleRef: { kind: 'ClusterRole', name: 'pod-creator' } };
}

suite('RbacIndex', () => {
  test('an account\'s analysis sees its namespace\'s RoleBindings and the ClusterRoleBindings only', () => {
    const crb: ClusterRoleBinding = { kind: 'ClusterRoleBinding', name: 'everyone', labels: {}, subjects: [{ kind: 'Group', name: 'ops' }], roleRef: { kind: 'ClusterRole', name: 'pod-creator' } };
    const snapshot: RbacSnapshot = { roles: [], clusterRoles: [podCreator], roleBindings: [binding('a', 'ra', 'ann'), binding('b', 'rb', 'bob')], clusterRoleBindings: [crb] };
    const index = RbacIndex.build(snapshot);
    assert.deepEqual(index.roleBindingsIn('a').map((b) => b.name), ['ra']);
    assert.deepEqual(index.roleBindingsIn('zzz'), []);
    const report = analyzeAccountAccess(index, { namespace: 'a', name: 'sa' });
    assert.deepEqual(report.paths.find((p) => p.kind === 'runAs')!.grants.map((g) => g.subject.name), ['ann', 'ops']);
    assert.deepEqual(index.counts, { roles: 0, clusterRoles: 1, roleBindings: 2, clusterRoleBindings: 1 });
  });

  test('a Role is looked up in the RoleBinding\'s own namespace; a ClusterRoleBinding cannot name a Role', () => {
    const role = { kind: 'Role' as const, namespace: 'a', name: 'local', labels: {}, rules: podCreator.rules };
    const rbA: RoleBinding = { ...binding('a', 'x', 'u'), roleRef: { kind: 'Role', name: 'local' } };
    const rbB: RoleBinding = { ...binding('b', 'x', 'u'), roleRef: { kind: 'Role', name: 'local' } };
    const crb: ClusterRoleBinding = { kind: 'ClusterRoleBinding', name: 'c', labels: {}, subjects: [{ kind: 'User', name: 'u' }], roleRef: { kind: 'Role', name: 'local' } };
    const index = RbacIndex.build({ roles: [role], clusterRoles: [], roleBindings: [rbA, rbB], clusterRoleBindings: [crb] });
    assert.equal(index.resolveRole(rbA), role);
    assert.equal(index.resolveRole(rbB), undefined);
    assert.equal(index.resolveRole(crb), undefined);
    assert.equal(analyzeAccountAccess(index, { namespace: 'b', name: 'sa' }).danglingBindings.length, 2);
  });

  test('nested aggregation is followed for pending rules, and a selection cycle ends', () => {
    const label = (k: string) => ({ [k]: 'true' });
    const top = { kind: 'ClusterRole' as const, name: 'top', labels: label('to-top'), rules: [], aggregationSelectors: [{ matchLabels: label('to-top'), matchExpressions: [] }, { matchLabels: label('to-mid'), matchExpressions: [] }] };
    const mid = { kind: 'ClusterRole' as const, name: 'mid', labels: label('to-top'), rules: [], aggregationSelectors: [{ matchLabels: label('to-mid'), matchExpressions: [] }, { matchLabels: label('to-top'), matchExpressions: [] }] };
    const leaf = { ...podCreator, name: 'leaf', labels: label('to-mid') };
    const index = RbacIndex.build({ roles: [], clusterRoles: [top, mid, leaf], roleBindings: [], clusterRoleBindings: [] });
    const match = index.grantingRule(top, { verb: 'create', group: '', resource: 'pods', namespace: 'a' });
    assert.deepEqual(match?.pendingAggregationFrom, 'leaf');
    assert.equal(index.grantingRule(top, { verb: 'delete', group: '', resource: 'pods', namespace: 'a' }), undefined);
  });
});
