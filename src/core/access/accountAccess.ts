/**
 * Who can get a service account's credentials: per way (mint a token, run a pod as it, impersonate
 * it, read its legacy token Secrets, or rebind roles to get there), the subjects whose RBAC grants
 * it, with the binding and role that do. Pure data in, pure data out, for a tree, JSON and Markdown.
 */
import type { PolicyRule, RbacSubject } from './rbacObjects';
import { attributesKey, subjectKey, type BindingRef, type BindingsOfRole, type DanglingBinding, type RbacIndex } from './rbacIndex';
import { identityOf, serviceAccountUsername, subjectApplies, type Identity, type ResourceAttributes } from './ruleMatching';

export type AccessPathKind = 'mint' | 'runAs' | 'impersonate' | 'readLegacyTokens' | 'escalate';

export const accessPathKinds: readonly AccessPathKind[] = ['mint', 'runAs', 'impersonate', 'readLegacyTokens', 'escalate'];

export interface AccessAccount {
  readonly namespace: string;
  readonly name: string;
  /** Names of the account's legacy `kubernetes.io/service-account-token` Secrets (empty: none). */
  readonly legacyTokenSecrets?: readonly string[];
}

export type AccessBindingRef = BindingRef;

export { subjectKey };

export interface AccessRoleRef {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
}

/** How far the API server has confirmed a grant (a SubjectAccessReview for its subject and check). */
export type AccessConfirmation = 'confirmed' | 'denied' | 'computed';

export interface AccessGrant {
  readonly subject: RbacSubject;
  readonly binding: AccessBindingRef;
  readonly role: AccessRoleRef;
  /** The check this grant answers (one of the path's). */
  readonly check: ResourceAttributes;
  /** The rule, as written, that matches. */
  readonly rule: PolicyRule;
  /** The rule is only in this ClusterRole, selected by the bound aggregated role and not copied into it yet. */
  readonly pendingAggregationFrom?: string;
  /** Absent until `confirmAccessReport` ran; `computed` when the server could not be asked. */
  readonly confirmation?: AccessConfirmation;
}

export interface AccessPath {
  readonly kind: AccessPathKind;
  readonly title: string;
  readonly description: string;
  /** Rebinding roles leads to the account only through another grant. */
  readonly secondOrder: boolean;
  /** False when the way does not exist for this account (no legacy token Secrets to read). */
  readonly applicable: boolean;
  /** Every authorization check that opens this way; one granted check is enough. */
  readonly checks: readonly ResourceAttributes[];
  /** Sorted by subject, then binding, then check. */
  readonly grants: readonly AccessGrant[];
}

export interface AccountAccessReport {
  readonly account: { readonly namespace: string; readonly name: string; readonly username: string };
  readonly legacyTokenSecrets: readonly string[];
  readonly paths: readonly AccessPath[];
  /** Bindings that would count but whose role does not exist. */
  readonly danglingBindings: readonly DanglingBinding[];
  /** Present when the RBAC objects could not be listed: what was missing. Paths are then empty. */
  readonly unknown?: { readonly missingPermissions: readonly string[] };
  /** How the grants were checked, once `confirmAccessReport` ran. */
  readonly confirmation?: { readonly basis: 'server' | 'rbacOnly'; readonly reason?: string };
}

const rbacGroup = 'rbac.authorization.k8s.io';

/** The workload kinds whose pods may name any service account of their namespace. */
export const podCreatingResources: readonly { readonly group: string; readonly resource: string }[] = [
  { group: '', resource: 'pods' },
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'replicasets' },
  { group: 'apps', resource: 'statefulsets' },
  { group: 'apps', resource: 'daemonsets' },
  { group: 'batch', resource: 'jobs' },
  { group: 'batch', resource: 'cronjobs' },
  { group: '', resource: 'replicationcontrollers' },
];

interface PathDefinition {
  readonly kind: AccessPathKind;
  readonly title: string;
  readonly description: string;
  readonly secondOrder: boolean;
  checks(account: AccessAccount): ResourceAttributes[];
  applicable(account: AccessAccount): boolean;
}

const pathDefinitions: readonly PathDefinition[] = [
  {
    kind: 'mint',
    title: 'Mint tokens',
    description: 'create on serviceaccounts/token for this account (TokenRequest)',
    secondOrder: false,
    checks: (a) => [{ verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace: a.namespace, name: a.name }],
    applicable: () => true,
  },
  {
    kind: 'runAs',
    title: 'Run workloads as it',
    description: 'create on pods or on a controller that creates pods, in its namespace: any pod may name the account',
    secondOrder: false,
    checks: (a) => podCreatingResources.map((r) => ({ verb: 'create', group: r.group, resource: r.resource, namespace: a.namespace })),
    applicable: () => true,
  },
  {
    kind: 'impersonate',
    title: 'Impersonate it',
    description: `impersonate on serviceaccounts, or on the user ${'system:serviceaccount:<namespace>:<name>'}`,
    secondOrder: false,
    checks: (a) => [
      { verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: a.namespace, name: a.name },
      { verb: 'impersonate', group: '', resource: 'users', name: serviceAccountUsername(a.namespace, a.name) },
    ],
    applicable: () => true,
  },
  {
    kind: 'readLegacyTokens',
    title: 'Read its legacy tokens',
    description: 'get, list or watch on secrets in its namespace, which hold its long-lived token',
    secondOrder: false,
    checks: (a) => [
      ...(a.legacyTokenSecrets ?? []).map((secret) => ({ verb: 'get', group: '', resource: 'secrets', namespace: a.namespace, name: secret })),
      { verb: 'list', group: '', resource: 'secrets', namespace: a.namespace },
      { verb: 'watch', group: '', resource: 'secrets', namespace: a.namespace },
    ],
    applicable: (a) => (a.legacyTokenSecrets ?? []).length > 0,
  },
  {
    kind: 'escalate',
    title: 'Escalate (second-order)',
    description: 'bind or escalate on roles in its namespace, or create, update or patch rolebindings there: enough to grant oneself one of the ways above',
    secondOrder: true,
    checks: (a) => [
      ...['bind', 'escalate'].flatMap((verb) => ['roles', 'clusterroles'].map((resource) => ({ verb, group: rbacGroup, resource, namespace: a.namespace }))),
      ...['create', 'update', 'patch'].map((verb) => ({ verb, group: rbacGroup, resource: 'rolebindings', namespace: a.namespace })),
    ],
    applicable: () => true,
  },
];

/** The checks of every way for an account, without any RBAC (what the analysis asks and SARs confirm). */
export function accessChecks(account: AccessAccount): { readonly kind: AccessPathKind; readonly checks: readonly ResourceAttributes[] }[] {
  return pathDefinitions.map((p) => ({ kind: p.kind, checks: p.applicable(account) ? p.checks(account) : [] }));
}

/** Who can get `account`'s credentials, from the index alone. */
export function analyzeAccountAccess(index: RbacIndex, account: AccessAccount): AccountAccessReport {
  const legacyTokenSecrets = [...(account.legacyTokenSecrets ?? [])];
  const clusterWide = index.clusterRoleBindingsByRole();
  const namespaced = index.roleBindingsByRole(account.namespace);
  const paths = pathDefinitions.map((definition): AccessPath => {
    const applicable = definition.applicable(account);
    const checks = applicable ? definition.checks(account) : [];
    const grants: RankedGrants = { grants: [], keys: [], checkSpan: checks.length, bindingSpan: index.bindingCount };
    checks.forEach((check, checkIndex) => {
      const checkKey = attributesKey(check);
      // Cluster-scoped checks (impersonating the user) are granted by ClusterRoleBindings only.
      collectGrants(index, clusterWide, check, checkKey, checkIndex, grants);
      if (check.namespace !== undefined) {collectGrants(index, namespaced, check, checkKey, checkIndex, grants);}
    });
    return { kind: definition.kind, title: definition.title, description: definition.description, secondOrder: definition.secondOrder, applicable, checks, grants: sortGrants(grants) };
  });
  return {
    account: { namespace: account.namespace, name: account.name, username: serviceAccountUsername(account.namespace, account.name) },
    legacyTokenSecrets,
    paths,
    danglingBindings: index.danglingBindings(account.namespace),
  };
}

/** Grants with one sort key each: subject rank, then binding rank, then the check's place in the path. */
interface RankedGrants {
  readonly grants: AccessGrant[];
  readonly keys: number[];
  /** Multipliers that keep the three ranks apart in one number (all well under 2^53). */
  readonly checkSpan: number;
  readonly bindingSpan: number;
}

function collectGrants(index: RbacIndex, groups: readonly BindingsOfRole[], check: ResourceAttributes, checkKey: string, checkIndex: number, into: RankedGrants): void {
  for (const group of groups) {
    const role = index.resolveRole(group.bindings[0]!);
    if (role === undefined) {continue;}
    // Matched once per role, however many bindings name it.
    const match = index.grantingRule(role, check, checkKey);
    if (match === undefined) {continue;}
    const roleRef: AccessRoleRef = { kind: group.roleRef.kind, name: group.roleRef.name };
    for (const prepared of group.prepared) {
      for (const { subject, rank } of prepared.subjects) {
        const grant: AccessGrant = match.pendingAggregationFrom === undefined
          ? { subject, binding: prepared.ref, role: roleRef, check, rule: match.rule }
          : { subject, binding: prepared.ref, role: roleRef, check, rule: match.rule, pendingAggregationFrom: match.pendingAggregationFrom };
        into.grants.push(grant);
        into.keys.push((rank * into.bindingSpan + prepared.rank) * into.checkSpan + checkIndex);
      }
    }
  }
}

/** Users, then groups, then service accounts, by name; then by binding, then in the path's check order. */
function sortGrants(ranked: RankedGrants): AccessGrant[] {
  const order = ranked.keys.map((_, i) => i);
  order.sort((a, b) => ranked.keys[a]! - ranked.keys[b]!);
  return order.map((i) => ranked.grants[i]!);
}

/** The distinct subjects of a path, in the grants' order: one tree row each. */
export function subjectsOf(path: AccessPath): { readonly subject: RbacSubject; readonly grants: readonly AccessGrant[] }[] {
  const bySubject = new Map<string, { subject: RbacSubject; grants: AccessGrant[] }>();
  for (const g of path.grants) {
    const key = subjectKey(g.subject);
    let entry = bySubject.get(key);
    if (entry === undefined) {
      entry = { subject: g.subject, grants: [] };
      bySubject.set(key, entry);
    }
    entry.grants.push(g);
  }
  return [...bySubject.values()];
}

/** Does any grant of the path apply to this identity (directly or through one of its groups)? */
export function pathGrantsIdentity(path: AccessPath, identity: Identity, check?: ResourceAttributes): boolean {
  const wanted = check === undefined ? undefined : attributesKey(check);
  return path.grants.some(
    (g) => g.pendingAggregationFrom === undefined && (wanted === undefined || attributesKey(g.check) === wanted) && subjectApplies(g.subject, identity, g.binding.namespace),
  );
}

/** One SubjectAccessReview to send: a subject's identity and a check. */
export interface AccessReviewRequest {
  readonly key: string;
  readonly subject: RbacSubject;
  readonly identity: Identity;
  readonly check: ResourceAttributes;
}

export function accessReviewKey(subject: RbacSubject, check: ResourceAttributes): string {
  return `${subjectKey(subject)}\0${check.namespace ?? ''}\0${attributesKey(check)}`;
}

/** The distinct (subject, check) pairs of a report: what confirming it asks the API server. */
export function accessReviewRequests(report: AccountAccessReport): AccessReviewRequest[] {
  const out = new Map<string, AccessReviewRequest>();
  for (const path of report.paths) {
    for (const g of path.grants) {
      const key = accessReviewKey(g.subject, g.check);
      if (!out.has(key)) {out.set(key, { key, subject: g.subject, identity: identityOf(g.subject), check: g.check });}
    }
  }
  return [...out.values()];
}

/**
 * The report with each grant marked by the server's answers (`allowed` per `accessReviewRequests`
 * key). Without answers (`undefined`: the user may not create SubjectAccessReviews) every grant is
 * `computed`, and `reason` says why.
 */
export function confirmAccessReport(report: AccountAccessReport, answers: ReadonlyMap<string, boolean> | undefined, reason?: string): AccountAccessReport {
  const paths = report.paths.map((path) => ({
    ...path,
    grants: path.grants.map((g): AccessGrant => {
      const answer = answers?.get(accessReviewKey(g.subject, g.check));
      return { ...g, confirmation: answer === undefined ? 'computed' : answer ? 'confirmed' : 'denied' };
    }),
  }));
  return { ...report, paths, confirmation: { basis: answers === undefined ? 'rbacOnly' : 'server', ...(reason === undefined ? {} : { reason }) } };
}

/** The report when the RBAC objects could not be listed: nothing is known, and the missing permissions say why. */
export function unknownAccessReport(account: AccessAccount, missingPermissions: readonly string[]): AccountAccessReport {
  return {
    account: { namespace: account.namespace, name: account.name, username: serviceAccountUsername(account.namespace, account.name) },
    legacyTokenSecrets: [...(account.legacyTokenSecrets ?? [])],
    paths: [],
    danglingBindings: [],
    unknown: { missingPermissions: [...missingPermissions] },
  };
}
