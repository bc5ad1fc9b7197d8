// rbac.authorization.k8s.io/v1 objects (list, get, create, update, delete), SubjectAccessReview, and
// the RBAC authorizer over those objects. It starts from the real control plane's own RBAC
// (test/fixtures/rbac-bootstrap.json, recorded from it) and evaluates with the extension's analysis
// (src/core/access), so the access cluster test's comparison with the real server is what proves both.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toRbacSnapshot } from '../../src/core/access/rbacObjects';
import { RbacIndex } from '../../src/core/access/rbacIndex';
import type { ResourceAttributes } from '../../src/core/access/ruleMatching';
import { createOptions, decodeBody, OBJECT_META, type Schema } from './createOptions';
import { listBody, orderMeta, withKind } from './objects';
import { list } from './paging';
import type { UserInfo } from './rbac';
import type { RequestInfo } from './requestInfo';
import { sendJson } from './respond';
import type { Ctx, State } from './state';
import { alreadyExists, badRequest, invalid, methodNotAllowed, notFound, pathNotFound, type FieldError } from './status';
import { NAMESPACED, type KMeta, type KObject, type RbacResource } from './store';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_RESOURCES: readonly RbacResource[] = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'];
const KIND_RESOURCES: Record<string, RbacResource> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

const RULE: Schema = { verbs: true, apiGroups: true, resources: true, resourceNames: true, nonResourceURLs: true };
const SCHEMAS: Record<RbacResource, Schema> = {
  roles: { metadata: OBJECT_META, rules: RULE },
  clusterroles: { metadata: OBJECT_META, rules: RULE, aggregationRule: { clusterRoleSelectors: true } },
  rolebindings: { metadata: OBJECT_META, subjects: true, roleRef: { apiGroup: true, kind: true, name: true } },
  clusterrolebindings: { metadata: OBJECT_META, subjects: true, roleRef: { apiGroup: true, kind: true, name: true } },
};

export function isRbacResource(r: string): r is RbacResource {
  return (RBAC_RESOURCES as readonly string[]).includes(r);
}

function bootstrapFixture(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'test', 'fixtures', 'rbac-bootstrap.json');
    if (existsSync(path)) {return path;}
  }
  throw new Error(`test/fixtures/rbac-bootstrap.json not found above ${__dirname}`);
}

/** The RBAC objects kube-apiserver of the pinned release holds at start. */
export function loadRbacBootstrap(state: State, oidcPublic: boolean): void {
  const { items } = JSON.parse(readFileSync(bootstrapFixture(), 'utf8')) as { items: { kind: string; apiVersion?: string; metadata: Partial<KMeta>; [k: string]: unknown }[] };
  for (const { kind, apiVersion: _apiVersion, metadata, ...rest } of items) {
    const resource = KIND_RESOURCES[kind];
    if (resource === undefined) {throw new Error(`rbac-bootstrap.json: no ${kind}`);}
    const o: KObject = { metadata: orderMeta(metadata), ...structuredClone(rest) };
    // The sandbox's knob for public issuer discovery, as the cluster admin would grant it.
    if (oidcPublic && kind === 'ClusterRoleBinding' && metadata.name === 'system:service-account-issuer-discovery') {
      o.subjects = [...(o.subjects as unknown[]), { kind: 'Group', apiGroup: RBAC_GROUP, name: 'system:unauthenticated' }];
    }
    state.store.create(resource, o);
  }
  bumpRbac(state);
}

const indexes = new WeakMap<State, { version: number; index?: RbacIndex }>();

function bumpRbac(state: State): void {
  const entry = indexes.get(state);
  indexes.set(state, { version: (entry?.version ?? 0) + 1 });
}

/** The index of the objects as they are now, rebuilt only after an RBAC write. */
export function rbacIndexOf(state: State): RbacIndex {
  let entry = indexes.get(state);
  if (entry === undefined) {
    entry = { version: 0 };
    indexes.set(state, entry);
  }
  if (entry.index === undefined) {
    const live = (r: RbacResource) => state.store.liveObjects(r);
    entry.index = RbacIndex.build(toRbacSnapshot({ roles: live('roles'), clusterRoles: live('clusterroles'), roleBindings: live('rolebindings'), clusterRoleBindings: live('clusterrolebindings') }));
  }
  return entry.index;
}

function attributesOf(info: RequestInfo): ResourceAttributes {
  return {
    verb: info.verb,
    group: info.apiGroup,
    resource: info.resource,
    ...(info.subresource ? { subresource: info.subresource } : {}),
    ...(info.namespace ? { namespace: info.namespace } : {}),
    ...(info.name ? { name: info.name } : {}),
  };
}

/** The RBAC objects' answer for a resource request (non-resource URLs stay with the sandbox's own model). */
export function rbacObjectsAllow(state: State, user: UserInfo, info: RequestInfo): boolean {
  if (!info.isResourceRequest) {return false;}
  return rbacIndexOf(state).authorize({ user: user.username, groups: user.groups }, attributesOf(info)).allowed;
}

export function handleRbac(ctx: Ctx): void {
  const { info, method } = ctx;
  if (!isRbacResource(info.resource) || info.subresource) {throw pathNotFound();}
  const resource = info.resource;
  const namespaced = NAMESPACED[resource];
  if (!namespaced && info.namespace) {throw pathNotFound();}
  const ns = info.namespace || undefined;
  if (!info.name) {
    if (method === 'GET') {
      const r = list(ctx.state.store, ctx.state.paging, { resource, namespace: ns, query: ctx.query });
      return sendJson(ctx.res, ctx.rctx, 200, listBody(resource, r.items, r));
    }
    if (method === 'POST') {return write(ctx, resource, ns, undefined);}
    throw methodNotAllowed();
  }
  if (method === 'GET') {
    const o = ctx.state.store.get(resource, ns, info.name);
    if (!o) {throw notFound(resource, info.name, RBAC_GROUP);}
    return sendJson(ctx.res, ctx.rctx, 200, withKind(resource, o));
  }
  if (method === 'PUT') {return write(ctx, resource, ns, info.name);}
  if (method === 'DELETE') {
    const o = ctx.state.store.get(resource, ns, info.name);
    if (!o) {throw notFound(resource, info.name, RBAC_GROUP);}
    ctx.state.store.delete(resource, ns, info.name);
    bumpRbac(ctx.state);
    return sendJson(ctx.res, ctx.rctx, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: info.name, group: RBAC_GROUP, kind: resource, uid: o.metadata.uid } });
  }
  throw methodNotAllowed();
}

const KINDS: Record<RbacResource, string> = { roles: 'Role', clusterroles: 'ClusterRole', rolebindings: 'RoleBinding', clusterrolebindings: 'ClusterRoleBinding' };

/** Create (POST, `name` undefined) or update (PUT) one object. */
function write(ctx: Ctx, resource: RbacResource, ns: string | undefined, name: string | undefined): void {
  const opts = createOptions(ctx);
  const body = decodeBody(ctx, KINDS[resource], SCHEMAS[resource], opts);
  const meta = { ...((body.metadata ?? {}) as Partial<KMeta>) };
  if (NAMESPACED[resource]) {
    if (meta.namespace && meta.namespace !== ns) {throw badRequest('the namespace of the provided object does not match the namespace sent on the request');}
    meta.namespace = ns;
  } else {delete meta.namespace;}
  if (name !== undefined && meta.name !== name) {throw badRequest('the name of the object (' + String(meta.name ?? '') + ') does not match the name on the URL (' + name + ')');}
  const errs: FieldError[] = [];
  if (!meta.name) {errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });}
  const { metadata: _m, kind: _k, apiVersion: _a, ...rest } = body;
  if (resource === 'rolebindings' || resource === 'clusterrolebindings') {
    const ref = (rest.roleRef ?? {}) as { kind?: string; name?: string; apiGroup?: string };
    if (!ref.name) {errs.push({ type: 'FieldValueRequired', field: 'roleRef.name', detail: '' });}
    if (ref.kind !== 'ClusterRole' && (ref.kind !== 'Role' || resource === 'clusterrolebindings')) {
      errs.push({ type: 'FieldValueNotSupported', field: 'roleRef.kind', value: ref.kind ?? '', detail: resource === 'rolebindings' ? 'supported values: "Role", "ClusterRole"' : 'supported values: "ClusterRole"' });
    }
    // SetDefaults_Subject: User and Group subjects belong to the RBAC API group.
    if (Array.isArray(rest.subjects)) {
      rest.subjects = (rest.subjects as Record<string, unknown>[]).map((s) => (s.kind === 'User' || s.kind === 'Group') && !s.apiGroup ? { kind: s.kind, apiGroup: RBAC_GROUP, ...s } : s);
    }
  }
  if (errs.length) {throw invalid(KINDS[resource], RBAC_GROUP, meta.name ?? '', errs);}
  const state = ctx.state;
  const obj: KObject = { metadata: orderMeta({ ...meta, uid: undefined, resourceVersion: undefined, creationTimestamp: undefined }), ...rest };
  // Role and ClusterRole serialise `rules` without omitempty: none is `null` on the wire.
  if ((resource === 'roles' || resource === 'clusterroles') && obj.rules === undefined) {obj.rules = null;}
  const existing = state.store.get(resource, ns, meta.name!);
  if (name === undefined && existing) {throw alreadyExists(resource, meta.name!, RBAC_GROUP);}
  if (name !== undefined && !existing) {throw notFound(resource, name, RBAC_GROUP);}
  if (!opts.dryRun) {
    if (existing) {state.store.replace(resource, obj);}
    else {state.store.create(resource, obj);}
    obj.metadata = orderMeta(obj.metadata);
    bumpRbac(state);
  }
  sendJson(ctx.res, ctx.rctx, existing ? 200 : 201, withKind(resource, obj));
}

/** POST /apis/authorization.k8s.io/v1/subjectaccessreviews: the sandbox's authorizers for someone else. */
export function handleSubjectAccessReview(ctx: Ctx, ownModel: (u: UserInfo, info: RequestInfo) => boolean): void {
  if (ctx.method !== 'POST' || ctx.info.name) {throw methodNotAllowed();}
  const opts = createOptions(ctx);
  const body = decodeBody(ctx, 'SubjectAccessReview', { metadata: OBJECT_META, spec: { resourceAttributes: true, nonResourceAttributes: true, user: true, groups: true, uid: true, extra: 'map' }, status: true }, opts);
  const spec = (body.spec ?? {}) as { user?: string; groups?: string[]; resourceAttributes?: Record<string, string>; nonResourceAttributes?: Record<string, string> };
  const errs: FieldError[] = [];
  if (!spec.user && !(spec.groups?.length)) {errs.push({ type: 'FieldValueInvalid', field: 'spec.user', value: '', detail: 'at least one of user or group must be specified' });}
  if (!spec.resourceAttributes === !spec.nonResourceAttributes) {errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', value: 'null', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' });}
  if (errs.length) {throw invalid('SubjectAccessReview', 'authorization.k8s.io', '', errs);}
  const user: UserInfo = { username: spec.user ?? '', groups: spec.groups ?? [] };
  const ra = spec.resourceAttributes;
  const info: RequestInfo = ra
    ? { isResourceRequest: true, path: '', verb: ra.verb ?? '', apiGroup: ra.group ?? '', apiVersion: ra.version ?? '', namespace: ra.namespace ?? '', resource: ra.resource ?? '', subresource: ra.subresource ?? '', name: ra.name ?? '', parts: [] }
    : { isResourceRequest: false, path: spec.nonResourceAttributes?.path ?? '', verb: spec.nonResourceAttributes?.verb ?? '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
  const byObjects = info.isResourceRequest ? rbacIndexOf(ctx.state).authorize({ user: user.username, groups: user.groups }, attributesOf(info)) : { allowed: false };
  const allowed = byObjects.allowed || ownModel(user, info);
  sendJson(ctx.res, ctx.rctx, 201, {
    kind: 'SubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: body.spec ?? {},
    status: allowed ? { allowed: true, ...(byObjects.reason ? { reason: byObjects.reason } : {}) } : { allowed: false },
  });
}
