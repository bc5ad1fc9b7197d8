// Discovery documents: /version, /api, /api/v1, /apis, /apis/<group>[/<version>].
import { GIT_VERSIONS, type Config } from './options';

export function versionInfo(cfg: Config): Record<string, string> {
  const v = GIT_VERSIONS[cfg.versionProfile];
  const minor = String(cfg.minor);
  const out: Record<string, string> = { major: '1', minor };
  if (cfg.minor >= 33) {
    out.emulationMajor = '1';
    out.emulationMinor = minor;
    out.minCompatibilityMajor = '1';
    out.minCompatibilityMinor = String(cfg.minor - 1);
  }
  return { ...out, gitVersion: v.gitVersion, gitCommit: v.gitCommit, gitTreeState: 'clean', buildDate: v.buildDate, goVersion: v.goVersion, compiler: 'gc', platform: 'linux/amd64' };
}

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const CORE_RESOURCES: ApiResource[] = [
  { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'], storageVersionHash: 'Q3oi5N2YM8M=' },
  { name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] },
  { name: 'namespaces/status', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
  { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: CRUD, shortNames: ['no'], storageVersionHash: 'XwShjMxG9Fs=' },
  { name: 'nodes/status', singularName: '', namespaced: false, kind: 'Node', verbs: ['get', 'patch', 'update'] },
  { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: CRUD, shortNames: ['po'], categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=' },
  { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs: CRUD, storageVersionHash: 'S6u1pOWzb84=' },
  { name: 'serviceaccounts', singularName: 'serviceaccount', namespaced: true, kind: 'ServiceAccount', verbs: CRUD, shortNames: ['sa'], storageVersionHash: 'pbx9ZvyFpBE=' },
  { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
];

export const GROUPS: Record<string, Record<string, ApiResource[]>> = {
  'rbac.authorization.k8s.io': {
    v1: [
      { name: 'clusterrolebindings', singularName: 'clusterrolebinding', namespaced: false, kind: 'ClusterRoleBinding', verbs: CRUD, storageVersionHash: '48tpQ8gZHFc=' },
      { name: 'clusterroles', singularName: 'clusterrole', namespaced: false, kind: 'ClusterRole', verbs: CRUD, storageVersionHash: 'bYE5ZWDrJ44=' },
      { name: 'rolebindings', singularName: 'rolebinding', namespaced: true, kind: 'RoleBinding', verbs: CRUD, storageVersionHash: 'eGsCzGH6b1g=' },
      { name: 'roles', singularName: 'role', namespaced: true, kind: 'Role', verbs: CRUD, storageVersionHash: '7FuwZcIIItM=' },
    ],
  },
  'authentication.k8s.io': {
    v1: [
      { name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] },
      { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] },
    ],
  },
  'authorization.k8s.io': {
    v1: [
      { name: 'localsubjectaccessreviews', singularName: 'localsubjectaccessreview', namespaced: true, kind: 'LocalSubjectAccessReview', verbs: ['create'] },
      { name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] },
      { name: 'selfsubjectrulesreviews', singularName: 'selfsubjectrulesreview', namespaced: false, kind: 'SelfSubjectRulesReview', verbs: ['create'] },
      { name: 'subjectaccessreviews', singularName: 'subjectaccessreview', namespaced: false, kind: 'SubjectAccessReview', verbs: ['create'] },
    ],
  },
};

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function coreResourceList(): unknown {
  return { kind: 'APIResourceList', groupVersion: 'v1', resources: CORE_RESOURCES };
}

function apiGroup(name: string): Record<string, unknown> {
  const versions = Object.keys(GROUPS[name]).map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(GROUPS).map(apiGroup) };
}

export function apiGroupDoc(name: string): unknown {
  return GROUPS[name] ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name) } : undefined;
}

export function groupResourceList(group: string, version: string): unknown {
  const res = GROUPS[group]?.[version];
  return res ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: res } : undefined;
}
