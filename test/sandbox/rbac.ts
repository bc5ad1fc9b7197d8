// A small RBAC model: bindings of rules to users/groups, cluster-wide or per namespace.
import { forbidden, type ApiError } from './status';
import type { RequestInfo } from './requestInfo';

export interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Binding {
  name: string;
  users?: string[];
  groups?: string[];
  /** Absent = ClusterRoleBinding. */
  namespace?: string;
  rules: Rule[];
}

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
export const ISSUER_DISCOVERY_URLS = ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'];

const VIEW_RESOURCES = ['namespaces', 'nodes', 'pods', 'serviceaccounts'];

export function defaultBindings(oidcPublic: boolean): Binding[] {
  return [
    { name: 'cluster-admin', groups: ['system:masters'], rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }] },
    {
      name: 'system:basic-user',
      groups: ['system:authenticated'],
      rules: [
        { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
        { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
      ],
    },
    { name: 'system:discovery', groups: ['system:authenticated'], rules: [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }] },
    { name: 'system:public-info-viewer', groups: ['system:authenticated', 'system:unauthenticated'], rules: [{ verbs: ['get'], nonResourceURLs: PUBLIC_INFO_URLS }] },
    {
      name: 'system:service-account-issuer-discovery',
      groups: oidcPublic ? ['system:serviceaccounts', 'system:unauthenticated'] : ['system:serviceaccounts'],
      rules: [{ verbs: ['get'], nonResourceURLs: ISSUER_DISCOVERY_URLS }],
    },
    // Limited user: namespace-scoped rights only (no namespace listing).
    {
      name: 'jane-build',
      users: ['jane'],
      namespace: 'build',
      rules: [
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['serviceaccounts', 'pods'] },
        { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] },
      ],
    },
    { name: 'jane-web', users: ['jane'], namespace: 'web', rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['serviceaccounts'] }] },
    // Exec-plugin user: cluster-wide read of the explorer's resources, token creation, token reviews.
    {
      name: 'sandbox-ops',
      groups: ['sandbox:ops'],
      rules: [
        { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: VIEW_RESOURCES },
        { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] },
        { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'] },
      ],
    },
    // A workload identity with some rights, so SA tokens can be used as credentials in tests.
    { name: 'ci-bot-build', users: ['system:serviceaccount:build:ci-bot'], namespace: 'build', rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'serviceaccounts'] }] },
  ];
}

function has(list: string[] | undefined, v: string): boolean {
  return !!list && (list.includes('*') || list.includes(v));
}

function urlMatches(patterns: string[], path: string): boolean {
  return patterns.some((p) => p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))));
}

export class Rbac {
  readonly bindings: Binding[];

  constructor(bindings: Binding[]) {
    this.bindings = bindings;
  }

  private _applies(b: Binding, u: UserInfo): boolean {
    return !!(b.users?.includes(u.username) || b.groups?.some((g) => u.groups.includes(g)));
  }

  rulesFor(u: UserInfo, namespace: string): { rules: Rule[]; clusterRules: Rule[] } {
    const clusterRules: Rule[] = [];
    const rules: Rule[] = [];
    for (const b of this.bindings) {
      if (!this._applies(b, u)) {continue;}
      if (b.namespace === undefined) {clusterRules.push(...b.rules);}
      else if (b.namespace === namespace) {rules.push(...b.rules);}
    }
    return { rules, clusterRules };
  }

  allowed(u: UserInfo, a: RequestInfo): boolean {
    const { rules, clusterRules } = this.rulesFor(u, a.namespace);
    const all = a.namespace ? [...clusterRules, ...rules] : clusterRules;
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return all.some((r) => {
      if (!has(r.verbs, a.verb)) {return false;}
      if (!a.isResourceRequest) {return !!r.nonResourceURLs && urlMatches(r.nonResourceURLs, a.path);}
      if (!r.resources) {return false;}
      return has(r.apiGroups, a.apiGroup) && has(r.resources, res) && (!r.resourceNames?.length || r.resourceNames.includes(a.name));
    });
  }

  /** The authorization filter's 403 (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/errors.go). */
  forbiddenError(u: UserInfo, a: RequestInfo): ApiError {
    if (!a.isResourceRequest) {return forbidden('', '', `User "${u.username}" cannot ${a.verb} path "${a.path}"`);}
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
    return forbidden(a.resource, a.name, `User "${u.username}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}" ${scope}`, a.apiGroup);
  }
}
