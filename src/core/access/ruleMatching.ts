/**
 * The RBAC authorizer's matching, as kube-apiserver applies it: a request is allowed when one rule of
 * one role bound to one of the requester's identities matches verb, API group, resource (with
 * subresource) and name. No wildcard is a glob: `*` stands alone, and `*\/token` matches any
 * resource's `token` subresource while `serviceaccounts/*` matches nothing but itself.
 */
import type { LabelSelector, PolicyRule, RbacSubject } from './rbacObjects';

/** What one authorization check asks (a SubjectAccessReview's resourceAttributes). */
export interface ResourceAttributes {
  readonly verb: string;
  /** '' is the core group. */
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Absent for a cluster-scoped check, which only ClusterRoleBindings can grant. */
  readonly namespace?: string;
  readonly name?: string;
}

/** Who is asking: a user name and the groups the authenticator gave it. */
export interface Identity {
  readonly user?: string;
  readonly groups: readonly string[];
}

const all = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === all || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === all || g === group);
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource === undefined || subresource === '' ? resource : `${resource}/${subresource}`;
  const anySubresource = subresource === undefined || subresource === '' ? undefined : `*/${subresource}`;
  return rule.resources.some((r) => r === all || r === combined || r === anySubresource);
}

/** A rule naming resources grants only requests for one of those names (never a nameless create or list). */
export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name ?? '');
}

export function ruleAllows(rule: PolicyRule, attributes: ResourceAttributes): boolean {
  return (
    verbMatches(rule, attributes.verb) &&
    apiGroupMatches(rule, attributes.group) &&
    resourceMatches(rule, attributes.resource, attributes.subresource) &&
    resourceNameMatches(rule, attributes.name)
  );
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The groups a service account's token authenticates with, besides its user name. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
}

/** The identity a binding's subject stands for, as a SubjectAccessReview would name it. */
export function identityOf(subject: RbacSubject): Identity {
  switch (subject.kind) {
    case 'User':
      return { user: subject.name, groups: [] };
    case 'Group':
      return { groups: [subject.name] };
    case 'ServiceAccount': {
      const namespace = subject.namespace ?? '';
      return { user: serviceAccountUsername(namespace, subject.name), groups: serviceAccountGroups(namespace) };
    }
  }
}

/**
 * Does a binding's subject apply to the identity? A ServiceAccount subject without a namespace
 * means the binding's own namespace (and matches nothing in a ClusterRoleBinding).
 */
export function subjectApplies(subject: RbacSubject, identity: Identity, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return identity.user === subject.name;
    case 'Group':
      return identity.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace ?? bindingNamespace ?? '';
      return namespace !== '' && identity.user === serviceAccountUsername(namespace, subject.name);
    }
  }
}

/** Label selector matching, for aggregation rules: every matchLabels pair and every expression must hold. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) {return false;}
  }
  for (const e of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key]!)) {return false;}
        break;
      case 'NotIn':
        if (has && e.values.includes(labels[e.key]!)) {return false;}
        break;
      case 'Exists':
        if (!has) {return false;}
        break;
      case 'DoesNotExist':
        if (has) {return false;}
        break;
      default:
        // An operator the API would have rejected selects nothing.
        return false;
    }
  }
  return true;
}
