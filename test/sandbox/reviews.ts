// TokenReview (§3), SelfSubjectReview (§5), SelfSubjectRulesReview (§6), SelfSubjectAccessReview.
import { reviewToken } from './auth';
import { createOptions, decodeBody, OBJECT_META, type Schema } from './createOptions';
import { managedFields, metadataPaths } from './managedFields';
import { orderMeta } from './objects';
import type { Rule, UserInfo } from './rbac';
import { requestInfo } from './requestInfo';
import { sendJson } from './respond';
import type { Ctx } from './state';
import { badRequest, methodNotAllowed } from './status';
import { rfc3339, type KMeta } from './store';

const ANY: Schema = new Proxy({}, { get: () => true, has: () => true }) as Schema;

/** Zero ObjectMeta: `creationTimestamp: null` until the 1.34 types gained omitzero. */
function emptyMeta(ctx: Ctx, meta: Partial<KMeta> = {}): Record<string, unknown> {
  const m: Record<string, unknown> = { ...orderMeta({ name: meta.name, generateName: meta.generateName, labels: meta.labels, annotations: meta.annotations }) };
  if (ctx.state.cfg.minor < 34) {return { ...insertCreationNull(m) };}
  return m;
}

function insertCreationNull(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'labels' || k === 'annotations') {out.creationTimestamp ??= null;}
    out[k] = v;
  }
  if (!('creationTimestamp' in out)) {out.creationTimestamp = null;}
  return out;
}

function userInfoJson(u: UserInfo): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (u.username) {o.username = u.username;}
  if (u.uid) {o.uid = u.uid;}
  if (u.groups?.length) {o.groups = u.groups;}
  if (u.extra && Object.keys(u.extra).length) {o.extra = u.extra;}
  return o;
}

export function handleTokenReview(ctx: Ctx): void {
  if (ctx.method !== 'POST' || ctx.info.name) {throw methodNotAllowed();}
  const opts = createOptions(ctx);
  const body = decodeBody(ctx, 'TokenReview', { metadata: OBJECT_META, spec: { token: true, audiences: true }, status: ANY }, opts);
  const spec = (body.spec ?? {}) as { token?: string; audiences?: string[] };
  if (!spec.token) {throw badRequest('token is required for TokenReview in authentication');}
  const auds = spec.audiences?.length ? spec.audiences : ctx.state.cfg.apiAudiences;
  const r = reviewToken(spec.token, auds, ctx.state);
  const status: Record<string, unknown> = {};
  if (r.user) {status.authenticated = true;}
  status.user = r.user ? userInfoJson(r.user) : {};
  if (r.user && r.audiences?.length) {status.audiences = r.audiences;}
  if (r.error) {status.error = r.error;}
  const outSpec: Record<string, unknown> = { token: spec.token };
  if (spec.audiences?.length) {outSpec.audiences = spec.audiences;}
  const fields = [...metadataPaths(body.metadata), ['f:spec', 'f:token'], ...(Array.isArray(spec.audiences) ? [['f:spec', 'f:audiences']] : [])];
  sendJson(ctx.res, ctx.rctx, 201, {
    kind: 'TokenReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...emptyMeta(ctx, body.metadata as Partial<KMeta>), managedFields: managedFields(ctx, 'authentication.k8s.io/v1', rfc3339(ctx.state.now()), fields) },
    spec: outSpec,
    status,
  });
}

export function handleSelfSubjectReview(ctx: Ctx): void {
  if (ctx.method !== 'POST' || ctx.info.name) {throw methodNotAllowed();}
  const opts = createOptions(ctx);
  decodeBody(ctx, 'SelfSubjectReview', { metadata: OBJECT_META, status: ANY }, opts);
  sendJson(ctx.res, ctx.rctx, 201, {
    kind: 'SelfSubjectReview',
    apiVersion: `authentication.k8s.io/${ctx.info.apiVersion}`,
    metadata: { creationTimestamp: rfc3339(ctx.state.now()) },
    status: { userInfo: userInfoJson(ctx.user) },
  });
}

function resourceRule(r: Rule): Record<string, unknown> {
  const o: Record<string, unknown> = { verbs: r.verbs };
  if (r.apiGroups?.length) {o.apiGroups = r.apiGroups;}
  if (r.resources?.length) {o.resources = r.resources;}
  if (r.resourceNames?.length) {o.resourceNames = r.resourceNames;}
  return o;
}

export function handleSelfSubjectRulesReview(ctx: Ctx): void {
  if (ctx.method !== 'POST' || ctx.info.name) {throw methodNotAllowed();}
  const opts = createOptions(ctx);
  const body = decodeBody(ctx, 'SelfSubjectRulesReview', { metadata: OBJECT_META, spec: { namespace: true }, status: ANY }, opts);
  const ns = ((body.spec ?? {}) as { namespace?: string }).namespace ?? '';
  if (!ns) {throw badRequest('no namespace on request');}
  const { rules, clusterRules } = ctx.state.rbac.rulesFor(ctx.user, ns);
  const all = [...clusterRules, ...rules];
  sendJson(ctx.res, ctx.rctx, 201, {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: emptyMeta(ctx),
    spec: {},
    status: {
      resourceRules: all.filter((r) => r.resources).map(resourceRule),
      nonResourceRules: all.filter((r) => r.nonResourceURLs).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    },
  });
}

export function handleSelfSubjectAccessReview(ctx: Ctx): void {
  if (ctx.method !== 'POST' || ctx.info.name) {throw methodNotAllowed();}
  const opts = createOptions(ctx);
  const body = decodeBody(ctx, 'SelfSubjectAccessReview', { metadata: OBJECT_META, spec: ANY, status: ANY }, opts);
  const spec = (body.spec ?? {}) as {
    resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string };
    nonResourceAttributes?: { path?: string; verb?: string };
  };
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (!ra && !nra) {throw badRequest('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');}
  const info = ra
    ? { ...requestInfo('GET', '/', new URLSearchParams()), isResourceRequest: true, verb: ra.verb ?? '', apiGroup: ra.group ?? '', namespace: ra.namespace ?? '', resource: ra.resource ?? '', subresource: ra.subresource ?? '', name: ra.name ?? '' }
    : { ...requestInfo('GET', nra!.path ?? '', new URLSearchParams()), isResourceRequest: false, verb: nra!.verb ?? '', path: nra!.path ?? '' };
  const allowed = ctx.state.rbac.allowed(ctx.user, info);
  sendJson(ctx.res, ctx.rctx, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: emptyMeta(ctx),
    spec: body.spec ?? {},
    status: allowed ? { allowed: true } : { allowed: false },
  });
}
