import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { toPolicyRule } from '../../../../src/core/access/rbacObjects';
import { resourceMatches, ruleAllows, selectorMatches, subjectApplies, type ResourceAttributes } from '../../../../src/core/access/ruleMatching';

const mintLedger: ResourceAttributes = { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace: 'payments', name: 'ledger' };
const rule = (r: Record<string, unknown>) => toPolicyRule(r);

suite('RBAC rule matching (as the authorizer matches)', () => {
  test('resources: * and */token match the subresource; serviceaccounts/* and serviceaccounts do not', () => {
    const cases: [string, boolean][] = [
      ['*', true],
      ['serviceaccounts/token', true],
      ['*/token', true],
      ['serviceaccounts/*', false],
      ['serviceaccounts', false],
      ['*/tokens', false],
      ['*/*', false],
      ['pods/token', false],
    ];
    for (const [resource, expected] of cases) {assert.equal(resourceMatches(rule({ resources: [resource] }), 'serviceaccounts', 'token'), expected, resource);}
    assert.equal(resourceMatches(rule({ resources: ['*/token'] }), 'serviceaccounts', undefined), false, '*/x never matches a request without subresource');
  });

  test('verbs and API groups: exact or *', () => {
    assert.ok(ruleAllows(rule({ verbs: ['*'], apiGroups: [''], resources: ['serviceaccounts/token'] }), mintLedger));
    assert.ok(ruleAllows(rule({ verbs: ['create'], apiGroups: ['*'], resources: ['serviceaccounts/token'] }), mintLedger));
    assert.ok(!ruleAllows(rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['*'] }), mintLedger));
    assert.ok(!ruleAllows(rule({ verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['serviceaccounts/token'] }), mintLedger), 'the token subresource is in the core group');
    assert.ok(!ruleAllows(rule({ verbs: ['Create'], apiGroups: [''], resources: ['serviceaccounts/token'] }), mintLedger), 'verbs are case-sensitive');
  });

  test('resourceNames: the request must name one of them; a nameless request never matches', () => {
    assert.ok(ruleAllows(rule({ verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['ledger', 'x'] }), mintLedger));
    assert.ok(!ruleAllows(rule({ verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['other'] }), mintLedger));
    assert.ok(!ruleAllows(rule({ verbs: ['create'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }), { verb: 'create', group: '', resource: 'pods', namespace: 'payments' }));
  });

  test('subjects: users and groups by name; a ServiceAccount without namespace is the RoleBinding\'s, and nobody in a ClusterRoleBinding', () => {
    const sa = { user: 'system:serviceaccount:payments:ledger', groups: ['system:serviceaccounts', 'system:serviceaccounts:payments'] };
    assert.ok(subjectApplies({ kind: 'ServiceAccount', name: 'ledger' }, sa, 'payments'));
    assert.ok(!subjectApplies({ kind: 'ServiceAccount', name: 'ledger' }, sa, 'build'));
    assert.ok(!subjectApplies({ kind: 'ServiceAccount', name: 'ledger' }, sa, undefined));
    assert.ok(subjectApplies({ kind: 'ServiceAccount', name: 'ledger', namespace: 'payments' }, sa, undefined));
    assert.ok(subjectApplies({ kind: 'Group', name: 'system:serviceaccounts:payments' }, sa, undefined));
    assert.ok(!subjectApplies({ kind: 'User', name: 'ledger' }, sa, 'payments'));
    assert.ok(!subjectApplies({ kind: 'Group', name: 'system:authenticated' }, { groups: [] }, undefined));
  });

  test('aggregation selectors: matchLabels and every expression operator; an empty selector selects all', () => {
    const labels = { tier: 'a', team: 'x' };
    assert.ok(selectorMatches({ matchLabels: {}, matchExpressions: [] }, labels));
    assert.ok(selectorMatches({ matchLabels: { tier: 'a' }, matchExpressions: [] }, labels));
    assert.ok(!selectorMatches({ matchLabels: { tier: 'b' }, matchExpressions: [] }, labels));
    const expr = (operator: string, values: string[] = [], key = 'tier') => ({ matchLabels: {}, matchExpressions: [{ key, operator, values }] });
    assert.ok(selectorMatches(expr('In', ['a', 'b']), labels));
    assert.ok(!selectorMatches(expr('In', ['b']), labels));
    assert.ok(selectorMatches(expr('NotIn', ['b']), labels));
    assert.ok(!selectorMatches(expr('NotIn', ['a']), labels));
    assert.ok(selectorMatches(expr('NotIn', ['a'], 'absent'), labels));
    assert.ok(selectorMatches(expr('Exists'), labels));
    assert.ok(!selectorMatches(expr('Exists', [], 'absent'), labels));
    assert.ok(selectorMatches(expr('DoesNotExist', [], 'absent'), labels));
    assert.ok(!selectorMatches(expr('Bogus'), labels));
  });
});
