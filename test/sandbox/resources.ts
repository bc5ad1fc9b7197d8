// list / get / create / delete for namespaces, nodes, serviceaccounts, pods and secrets.
import { randomBytes, randomUUID } from 'node:crypto';
import { createOptions, decodeBody, OBJECT_META, type Schema } from './createOptions';
import { legacyTokenSecretData } from './legacyTokens';
import { admitCreate, isTerminating, purgeNamespace } from './namespaces';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, KINDS, LABEL_MSG, listBody, orderMeta, SUBDOMAIN_MSG, withKind } from './objects';
import { list } from './paging';
import { sendJson } from './respond';
import type { Ctx } from './state';
import { alreadyExists, badRequest, forbidden, invalid, methodNotAllowed, notFound, pathNotFound, type FieldError } from './status';
import { NAMESPACED, rfc3339, type CoreResource, type KMeta, type KObject, type Resource } from './store';
import { metadataListFor, tableFor, wantsMetadataList, wantsTable } from './table';

const ANY: Schema = new Proxy({}, { get: () => true, has: () => true }) as Schema;
const SCHEMAS: Record<CoreResource, Schema> = {
  namespaces: { metadata: OBJECT_META, spec: { finalizers: true }, status: ANY },
  nodes: { metadata: OBJECT_META, spec: ANY, status: ANY },
  serviceaccounts: { metadata: OBJECT_META, secrets: true, imagePullSecrets: true, automountServiceAccountToken: true },
  pods: { metadata: OBJECT_META, spec: ANY, status: ANY },
  secrets: { metadata: OBJECT_META, immutable: true, data: 'map', stringData: 'map', type: true },
};

export function isCoreResource(r: string): r is CoreResource {
  return r in SCHEMAS;
}

export function handleCore(ctx: Ctx): void {
  const { info, method } = ctx;
  const resource = info.resource as CoreResource;
  const namespaced = NAMESPACED[resource];
  // /api/v1/namespaces/{ns} is the namespace object itself
  const ns = resource === 'namespaces' ? undefined : info.namespace || undefined;
  if (namespaced === false && info.namespace && resource !== 'namespaces') {throw notFoundPath();}
  if (info.subresource) {throw notFoundPath();}
  if (!info.name) {
    if (method === 'GET') {return doList(ctx, resource, ns);}
    if (method === 'POST') {return doCreate(ctx, resource, ns);}
    throw methodNotAllowed();
  }
  if (method === 'GET') {
    const o = ctx.state.store.get(resource, ns, info.name);
    if (!o) {throw notFound(resource, info.name);}
    return sendJson(ctx.res, ctx.rctx, 200, withKind(resource, o));
  }
  if (method === 'DELETE') {return doDelete(ctx, resource, ns, info.name);}
  throw methodNotAllowed();
}

function notFoundPath() {
  return pathNotFound();
}

function doList(ctx: Ctx, resource: Resource, ns: string | undefined): void {
  const r = list(ctx.state.store, ctx.state.paging, { resource, namespace: ns, query: ctx.query });
  if (wantsTable(ctx.req.headers.accept)) {
    return sendJson(ctx.res, ctx.rctx, 200, tableFor(resource, r, ctx.state.now()), { 'Content-Type': 'application/json' });
  }
  if (wantsMetadataList(ctx.req.headers.accept)) {
    return sendJson(ctx.res, ctx.rctx, 200, metadataListFor(r), { 'Content-Type': 'application/json' });
  }
  sendJson(ctx.res, ctx.rctx, 200, listBody(resource, r.items, r));
}

function validateName(kind: string, meta: Partial<KMeta>, label: boolean): void {
  const errs: FieldError[] = [];
  const name = meta.name ?? '';
  if (!name && !meta.generateName) {errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });}
  else if (name) {
    const re = label ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    if (!re.test(name) || name.length > (label ? 63 : 253)) {
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: label ? LABEL_MSG : SUBDOMAIN_MSG });
    }
  }
  if (errs.length) {throw invalid(kind, '', name, errs);}
}

function doCreate(ctx: Ctx, resource: CoreResource, ns: string | undefined): void {
  const opts = createOptions(ctx);
  const body = decodeBody(ctx, KINDS[resource], SCHEMAS[resource], opts);
  const meta = { ...((body.metadata ?? {}) as Partial<KMeta>) };
  if (NAMESPACED[resource]) {
    if (meta.namespace && meta.namespace !== ns) {throw badRequest('the namespace of the provided object does not match the namespace sent on the request');}
    meta.namespace = ns;
  } else {delete meta.namespace;}
  if (!meta.name && meta.generateName) {meta.name = meta.generateName + randomBytes(3).toString('hex').slice(0, 5);}
  validateName(KINDS[resource], meta, resource === 'namespaces');
  // WipeObjectMetaSystemFields
  delete meta.uid;
  delete meta.creationTimestamp;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  delete meta.resourceVersion;
  const name = meta.name!;
  const state = ctx.state;
  if (ns) {admitCreate(state, ns, resource, name);}
  const { metadata: _ignored, kind: _k, apiVersion: _a, ...rest } = body;
  const obj: KObject = { metadata: orderMeta(meta), ...rest };
  if (state.store.get(resource, ns, name)) {throw alreadyExists(resource, name);}
  prepare(ctx, resource, obj);
  if (!opts.dryRun) {
    state.store.create(resource, obj);
    obj.metadata = orderMeta(obj.metadata);
    afterCreate(ctx, resource, obj);
  } else {
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = rfc3339(state.now());
    obj.metadata = orderMeta(obj.metadata);
  }
  sendJson(ctx.res, ctx.rctx, 201, withKind(resource, obj));
}

/** Defaulting and admission per kind. */
function prepare(ctx: Ctx, resource: Resource, obj: KObject): void {
  const state = ctx.state;
  const ns = obj.metadata.namespace;
  if (resource === 'namespaces') {
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
  } else if (resource === 'pods') {
    const spec = ((obj.spec ??= {}) as Record<string, unknown>);
    const saName = (spec.serviceAccountName as string) || (spec.serviceAccount as string) || 'default';
    spec.serviceAccountName = saName;
    spec.serviceAccount = saName;
    // ServiceAccount admission plugin
    if (!state.store.get('serviceaccounts', ns, saName)) {
      throw forbidden('pods', obj.metadata.name, `error looking up service account ${ns}/${saName}: serviceaccount "${saName}" not found`);
    }
    if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
      throw invalid('Pod', '', obj.metadata.name, [{ type: 'FieldValueRequired', field: 'spec.containers', detail: '' }]);
    }
    const nodeName = spec.nodeName as string | undefined;
    obj.status = nodeName
      ? { phase: 'Running', hostIP: '10.0.0.10', podIP: `10.244.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, startTime: rfc3339(state.now()) }
      : { phase: 'Pending' };
  } else if (resource === 'secrets') {
    obj.type ||= 'Opaque';
    if (obj.stringData && typeof obj.stringData === 'object') {
      const data = { ...((obj.data as Record<string, string>) ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) {data[k] = Buffer.from(String(v)).toString('base64');}
      obj.data = data;
      delete obj.stringData;
    }
    if (obj.type === 'kubernetes.io/service-account-token') {
      const saName = obj.metadata.annotations?.['kubernetes.io/service-account.name'];
      if (!saName) {
        throw invalid('Secret', '', obj.metadata.name, [
          { type: 'FieldValueRequired', field: 'metadata.annotations[kubernetes.io/service-account.name]', detail: '' },
        ]);
      }
    }
  }
}

function afterCreate(ctx: Ctx, resource: Resource, obj: KObject): void {
  const state = ctx.state;
  if (resource === 'namespaces') {
    state.store.create('serviceaccounts', { metadata: orderMeta({ name: 'default', namespace: obj.metadata.name }) });
  } else if (resource === 'secrets' && obj.type === 'kubernetes.io/service-account-token') {
    // The token controller fills in legacy tokens asynchronously; done synchronously here.
    const sa = state.store.get('serviceaccounts', obj.metadata.namespace, obj.metadata.annotations!['kubernetes.io/service-account.name']!);
    if (sa) {
      obj.metadata.annotations = { ...obj.metadata.annotations, 'kubernetes.io/service-account.uid': sa.metadata.uid };
      obj.data = legacyTokenSecretData(state, sa, obj);
    }
  }
}

function doDelete(ctx: Ctx, resource: Resource, ns: string | undefined, name: string): void {
  const state = ctx.state;
  const opts = ctx.query.getAll('dryRun');
  const dryRun = opts.includes('All');
  const o = state.store.get(resource, ns, name);
  if (!o) {throw notFound(resource, name);}
  if (resource === 'namespaces') {
    // Deleting a namespace that is already terminating returns it as it is (its finalizers still run).
    if (!dryRun && !isTerminating(o)) {
      o.metadata.deletionTimestamp = rfc3339(state.now());
      o.status = { phase: 'Terminating' };
      state.store.touch(o);
      o.metadata = orderMeta(o.metadata);
      const t = setTimeout(() => purgeNamespace(state, name), 2000);
      t.unref();
    }
    return sendJson(ctx.res, ctx.rctx, 200, withKind(resource, o));
  }
  if (!dryRun) {state.store.delete(resource, ns, name);}
  const out = structuredClone(o);
  if (resource === 'pods') {
    out.metadata.deletionTimestamp = rfc3339(state.now());
    out.metadata.deletionGracePeriodSeconds = 0;
    out.metadata = orderMeta(out.metadata);
  }
  sendJson(ctx.res, ctx.rctx, 200, withKind(resource, out));
}
