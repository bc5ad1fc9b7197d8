/**
 * One cluster's RBAC, indexed once so that a question about one namespace touches only that
 * namespace's RoleBindings and the ClusterRoleBindings, never the whole cluster.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, RbacSnapshot, RbacSubject, Role, RoleBinding, RoleRef } from './rbacObjects';
import { ruleAllows, selectorMatches, subjectApplies, type Identity, type ResourceAttributes } from './ruleMatching';

/** A rule of a bound role that grants a check. */
export interface RuleMatch {
  readonly rule: PolicyRule;
  /**
   * Set when the rule is only in a ClusterRole that the bound (aggregated) role selects: the
   * aggregation controller has not copied it into the role yet, so the API server does not honour it.
   */
  readonly pendingAggregationFrom?: string;
}

export type Binding = RoleBinding | ClusterRoleBinding;

export interface BindingRef {
  readonly kind: Binding['kind'];
  readonly name: string;
  /** RoleBindings only. */
  readonly namespace?: string;
}

/** Why a binding grants nothing: its role does not exist (the authorizer skips it). */
export interface DanglingBinding {
  readonly binding: BindingRef;
  readonly roleRef: RoleRef;
}

/**
 * A binding as reports use it, prepared once per index: its reference, its subjects as they apply (a
 * RoleBinding's namespace-less service account resolved to the binding's namespace; one that can
 * match nobody dropped) and ranks, so that sorting a report's grants compares numbers, not strings.
 */
export interface PreparedBinding {
  readonly ref: BindingRef;
  readonly rank: number;
  readonly subjects: readonly { readonly subject: RbacSubject; readonly rank: number }[];
}

export function subjectKey(s: RbacSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace ?? ''}/${s.name}` : `${s.kind}:${s.name}`;
}

const subjectKindOrder: Record<RbacSubject['kind'], string> = { User: '0', Group: '1', ServiceAccount: '2' };

function resolvedSubjects(b: Binding): RbacSubject[] {
  const out: RbacSubject[] = [];
  for (const s of b.subjects) {
    const resolved: RbacSubject = s.kind === 'ServiceAccount' && s.namespace === undefined && b.kind === 'RoleBinding' ? { ...s, namespace: b.namespace } : s;
    if (resolved.kind === 'ServiceAccount' && resolved.namespace === undefined) {continue;}
    out.push(resolved);
  }
  return out;
}

function ranks(keys: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(keys)].sort();
  return new Map(sorted.map((k, i) => [k, i]));
}

export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** As kube-apiserver words it, e.g. `RBAC: allowed by RoleBinding "a/ns" of Role "r" to User "u"`. */
  readonly reason?: string;
}

const noBindings: readonly RoleBinding[] = [];

/** Bindings that name the same role: the role's rules are matched once for all of them. */
export interface BindingsOfRole<B extends Binding = Binding> {
  readonly roleRef: RoleRef;
  readonly bindings: readonly B[];
  /** The same bindings, prepared (index for index). */
  readonly prepared: readonly PreparedBinding[];
}

function groupByRole<B extends Binding>(bindings: readonly B[], prepared: (b: B) => PreparedBinding): BindingsOfRole<B>[] {
  const groups = new Map<string, { roleRef: RoleRef; bindings: B[]; prepared: PreparedBinding[] }>();
  for (const b of bindings) {
    const key = `${b.roleRef.kind}/${b.roleRef.name}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { roleRef: b.roleRef, bindings: [], prepared: [] };
      groups.set(key, group);
    }
    group.bindings.push(b);
    group.prepared.push(prepared(b));
  }
  return [...groups.values()];
}

export class RbacIndex {
  readonly clusterRoleBindings: readonly ClusterRoleBinding[];
  private readonly _roleBindingsByNamespace = new Map<string, RoleBinding[]>();
  private readonly _roles = new Map<string, Role>();
  private readonly _clusterRoles = new Map<string, ClusterRole>();
  private readonly _aggregatedSources = new Map<string, readonly ClusterRole[]>();
  private readonly _clusterBindingsByRole: readonly BindingsOfRole<ClusterRoleBinding>[];
  private readonly _roleBindingsByRole = new Map<string, readonly BindingsOfRole<RoleBinding>[]>();
  private readonly _prepared = new Map<Binding, PreparedBinding>();
  /** Per role and check: the first granting rule, or null. Shared by every account asked about. */
  private readonly _matches = new Map<Role | ClusterRole, Map<string, RuleMatch | null>>();
  readonly counts: { readonly roles: number; readonly clusterRoles: number; readonly roleBindings: number; readonly clusterRoleBindings: number };

  private constructor(snapshot: RbacSnapshot) {
    this.clusterRoleBindings = snapshot.clusterRoleBindings;
    this._prepare([...snapshot.clusterRoleBindings, ...snapshot.roleBindings]);
    this._clusterBindingsByRole = groupByRole(snapshot.clusterRoleBindings, (b) => this.prepared(b));
    for (const b of snapshot.roleBindings) {
      let list = this._roleBindingsByNamespace.get(b.namespace);
      if (list === undefined) {
        list = [];
        this._roleBindingsByNamespace.set(b.namespace, list);
      }
      list.push(b);
    }
    for (const r of snapshot.roles) {this._roles.set(roleKey(r.namespace, r.name), r);}
    for (const r of snapshot.clusterRoles) {this._clusterRoles.set(r.name, r);}
    this.counts = {
      roles: snapshot.roles.length,
      clusterRoles: snapshot.clusterRoles.length,
      roleBindings: snapshot.roleBindings.length,
      clusterRoleBindings: snapshot.clusterRoleBindings.length,
    };
  }

  private _prepare(bindings: readonly Binding[]): void {
    const subjectsOf = new Map<Binding, { subject: RbacSubject; key: string }[]>();
    const bindingKeys = new Map<Binding, string>();
    for (const b of bindings) {
      subjectsOf.set(b, resolvedSubjects(b).map((subject) => ({ subject, key: subjectKindOrder[subject.kind] + subjectKey(subject) })));
      bindingKeys.set(b, b.kind === 'ClusterRoleBinding' ? `0${b.name}` : `1${b.namespace}/${b.name}`);
    }
    const subjectRanks = ranks([...subjectsOf.values()].flatMap((list) => list.map((s) => s.key)));
    const bindingRanks = ranks(bindingKeys.values());
    for (const b of bindings) {
      this._prepared.set(b, {
        ref: b.kind === 'RoleBinding' ? { kind: 'RoleBinding', name: b.name, namespace: b.namespace } : { kind: 'ClusterRoleBinding', name: b.name },
        rank: bindingRanks.get(bindingKeys.get(b)!)!,
        subjects: subjectsOf.get(b)!.map((s) => ({ subject: s.subject, rank: subjectRanks.get(s.key)! })),
      });
    }
  }

  /** A binding of this index, prepared for reports. */
  prepared(binding: Binding): PreparedBinding {
    const p = this._prepared.get(binding);
    if (p === undefined) {throw new Error(`${binding.kind} ${binding.name} is not in this index`);}
    return p;
  }

  /** Every RoleBinding and ClusterRoleBinding: an upper bound of the binding ranks. */
  get bindingCount(): number {
    return this._prepared.size;
  }

  static build(snapshot: RbacSnapshot): RbacIndex {
    return new RbacIndex(snapshot);
  }

  roleBindingsIn(namespace: string): readonly RoleBinding[] {
    return this._roleBindingsByNamespace.get(namespace) ?? noBindings;
  }

  /** The ClusterRoleBindings grouped by the role they name. */
  clusterRoleBindingsByRole(): readonly BindingsOfRole<ClusterRoleBinding>[] {
    return this._clusterBindingsByRole;
  }

  /** A namespace's RoleBindings grouped by the role they name (computed on first use). */
  roleBindingsByRole(namespace: string): readonly BindingsOfRole<RoleBinding>[] {
    let groups = this._roleBindingsByRole.get(namespace);
    if (groups === undefined) {
      groups = groupByRole(this.roleBindingsIn(namespace), (b) => this.prepared(b));
      this._roleBindingsByRole.set(namespace, groups);
    }
    return groups;
  }

  /** The bindings that can grant a check: every ClusterRoleBinding, then the namespace's RoleBindings. */
  bindingsFor(namespace: string | undefined): readonly Binding[] {
    return namespace === undefined || namespace === '' ? this.clusterRoleBindings : [...this.clusterRoleBindings, ...this.roleBindingsIn(namespace)];
  }

  clusterRole(name: string): ClusterRole | undefined {
    return this._clusterRoles.get(name);
  }

  role(namespace: string, name: string): Role | undefined {
    return this._roles.get(roleKey(namespace, name));
  }

  /** The role a binding refers to; a RoleBinding's Role lives in the binding's namespace. */
  resolveRole(binding: Binding): Role | ClusterRole | undefined {
    if (binding.roleRef.kind === 'ClusterRole') {return this._clusterRoles.get(binding.roleRef.name);}
    return binding.kind === 'RoleBinding' ? this.role(binding.namespace, binding.roleRef.name) : undefined;
  }

  /** The ClusterRoles an aggregated ClusterRole selects (itself excluded). */
  aggregatedSources(role: ClusterRole): readonly ClusterRole[] {
    if (role.aggregationSelectors === undefined) {return [];}
    let sources = this._aggregatedSources.get(role.name);
    if (sources === undefined) {
      const selectors = role.aggregationSelectors;
      sources = [...this._clusterRoles.values()].filter((c) => c.name !== role.name && selectors.some((s) => selectorMatches(s, c.labels)));
      this._aggregatedSources.set(role.name, sources);
    }
    return sources;
  }

  /**
   * The rule of `role` that grants `attributes`: a stored rule (what the authorizer evaluates), else,
   * for an aggregated role, a rule of a selected role that the controller has not copied yet.
   */
  grantingRule(role: Role | ClusterRole, attributes: ResourceAttributes, key = attributesKey(attributes)): RuleMatch | undefined {
    let byCheck = this._matches.get(role);
    if (byCheck === undefined) {
      byCheck = new Map();
      this._matches.set(role, byCheck);
    }
    const cached = byCheck.get(key);
    if (cached !== undefined) {return cached ?? undefined;}
    let found: RuleMatch | undefined;
    const stored = role.rules.find((r) => ruleAllows(r, attributes));
    if (stored !== undefined) {
      found = { rule: stored };
    } else if (role.kind === 'ClusterRole') {
      found = this._pendingAggregatedRule(role, attributes, new Set([role.name]));
    }
    byCheck.set(key, found ?? null);
    return found;
  }

  /**
   * Aggregation nests (admin selects edit, which selects view), and the controller converges on the
   * transitive union; until it has, a rule may sit several roles down.
   */
  private _pendingAggregatedRule(role: ClusterRole, attributes: ResourceAttributes, visited: Set<string>): RuleMatch | undefined {
    for (const source of this.aggregatedSources(role)) {
      if (visited.has(source.name)) {continue;}
      visited.add(source.name);
      const rule = source.rules.find((r) => ruleAllows(r, attributes));
      if (rule !== undefined) {return { rule, pendingAggregationFrom: source.name };}
      const nested = this._pendingAggregatedRule(source, attributes, visited);
      if (nested !== undefined) {return nested;}
    }
    return undefined;
  }

  /** Bindings whose role is missing, in the given namespace plus cluster-wide. */
  danglingBindings(namespace: string | undefined): DanglingBinding[] {
    return this.bindingsFor(namespace)
      .filter((b) => this.resolveRole(b) === undefined)
      .map((b) => ({ binding: this.prepared(b).ref, roleRef: b.roleRef }));
  }

  /**
   * The RBAC authorizer's decision for one identity, from stored rules only (so pending aggregation
   * grants nothing, as on the server).
   */
  authorize(identity: Identity, attributes: ResourceAttributes): AuthorizationDecision {
    for (const binding of this.bindingsFor(attributes.namespace)) {
      const bindingNamespace = binding.kind === 'RoleBinding' ? binding.namespace : undefined;
      const subject = binding.subjects.find((s) => subjectApplies(s, identity, bindingNamespace));
      if (subject === undefined) {continue;}
      const role = this.resolveRole(binding);
      if (role === undefined) {continue;}
      const match = this.grantingRule(role, attributes);
      if (match !== undefined && match.pendingAggregationFrom === undefined) {
        return { allowed: true, reason: `RBAC: allowed by ${describeBinding(binding)} of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject, bindingNamespace)}` };
      }
    }
    return { allowed: false };
  }
}

function roleKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function attributesKey(a: ResourceAttributes): string {
  return [a.verb, a.group, a.resource, a.subresource ?? '', a.name ?? ''].join('\0');
}

function describeBinding(b: Binding): string {
  return b.kind === 'RoleBinding' ? `RoleBinding "${b.name}/${b.namespace}"` : `ClusterRoleBinding "${b.name}"`;
}

function describeSubject(s: RbacSubject, bindingNamespace: string | undefined): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount "${s.name}/${s.namespace ?? bindingNamespace ?? ''}"` : `${s.kind} "${s.name}"`;
}
