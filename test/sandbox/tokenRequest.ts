// POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token, in the check order of
// pkg/registry/core/serviceaccount/storage/token.go (reference §1).
import { createOptions, decodeBody, OBJECT_META, type Schema } from './createOptions';
import { buildClaims, signClaims } from './jwt';
import { managedFields, metadataPaths, type FieldPaths } from './managedFields';
import { admitCreate } from './namespaces';
import { orderMeta } from './objects';
import { sendJson } from './respond';
import type { Ctx } from './state';
import { badRequest, conflict, internalError, invalid, methodNotAllowed, notFound } from './status';
import { rfc3339, type KMeta, type KObject } from './store';

const GROUP = 'authentication.k8s.io';
const KIND = 'TokenRequest';
const WARN_ONLY_SECONDS = 3607;
const EXTENDED_SECONDS = 365 * 24 * 3600;

const SCHEMA: Schema = {
  metadata: OBJECT_META,
  spec: { audiences: true, expirationSeconds: true, boundObjectRef: { kind: true, apiVersion: true, name: true, uid: true } },
  status: { token: true, expirationTimestamp: true },
};

interface BoundRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

function parseGroupVersion(apiVersion: string): { group: string; version: string } | undefined {
  if (!apiVersion) {return { group: '', version: '' };}
  const parts = apiVersion.split('/');
  if (parts.length === 1) {return { group: '', version: parts[0] };}
  if (parts.length === 2) {return { group: parts[0], version: parts[1] };}
  return undefined;
}

/** Generic store key checks (NamespaceKeyFunc / NoNamespaceKeyFunc). */
function checkName(name: string): void {
  if (!name) {throw badRequest('Name parameter required.');}
  const msgs: string[] = [];
  if (name === '.' || name === '..') {msgs.push(`may not be '${name}'`);}
  for (const bad of ['/', '%']) {if (name.includes(bad)) {msgs.push(`may not contain '${bad}'`);}}
  if (msgs.length) {throw badRequest(`Name parameter invalid: ${JSON.stringify(name)}: ${msgs.join(';')}`);}
}

export async function handleTokenRequest(ctx: Ctx): Promise<void> {
  const { state } = ctx;
  const cfg = state.cfg;
  const ns = ctx.info.namespace;
  const name = ctx.info.name;
  if (ctx.method !== 'POST') {
    throw methodNotAllowed();
  }
  const opts = createOptions(ctx);
  const body = decodeBody(ctx, KIND, SCHEMA, opts);
  const meta = { ...((body.metadata ?? {}) as Partial<KMeta>) };
  // create handler: body namespace must match the URL
  if (meta.namespace && meta.namespace !== ns) {throw badRequest('the namespace of the provided object does not match the namespace sent on the request');}
  // create handler wipes system fields; TokenRequest keeps uid from v1.34 (uid validation)
  delete meta.creationTimestamp;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (!cfg.uidValidation) {delete meta.uid;}
  const spec = (body.spec ?? {}) as { audiences?: string[] | null; expirationSeconds?: number | null; boundObjectRef?: BoundRef | null };

  // 1. NamespaceLifecycle admission (the create handler admits before the storage's own checks)
  admitCreate(state, ns, 'serviceaccounts', name);
  // 2. name mismatch
  if (meta.name && meta.name !== name) {
    throw invalid(KIND, GROUP, name, [{ type: 'FieldValueInvalid', field: 'metadata.name', value: meta.name, detail: 'must match the service account name if specified' }]);
  }
  // 3. SA lookup
  const sa = state.store.get('serviceaccounts', ns, name);
  if (!sa) {throw notFound('serviceaccounts', name);}
  // 4. uid validation (v1.34+)
  if (cfg.uidValidation && meta.uid && meta.uid !== sa.metadata.uid) {
    throw conflict(KIND, name, `the UID in the token request (${meta.uid}) does not match the UID of the service account (${sa.metadata.uid})`, GROUP);
  }
  // 5. defaults
  const audiences = spec.audiences?.length ? [...spec.audiences] : [...cfg.apiAudiences];
  let expirationSeconds = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? 3600 : Number(spec.expirationSeconds);
  meta.name ||= name;
  meta.namespace ||= ns;
  if (cfg.uidValidation) {meta.uid ||= sa.metadata.uid;}
  const nowMs = state.now();
  meta.creationTimestamp = rfc3339(nowMs);
  // 6. validation (empty name)
  if (expirationSeconds < 600) {
    throw invalid(KIND, GROUP, '', [{ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: expirationSeconds, detail: 'may not specify a duration less than 10 minutes' }]);
  }
  if (expirationSeconds > 2 ** 32) {
    throw invalid(KIND, GROUP, '', [{ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', value: expirationSeconds, detail: 'may not specify a duration larger than 2^32 seconds' }]);
  }
  // 8. bound object
  const ref = spec.boundObjectRef ?? null;
  let pod: KObject | undefined;
  let secret: KObject | undefined;
  let node: KObject | undefined;
  let podNodeName: string | undefined;
  if (ref) {
    const gv = parseGroupVersion(ref.apiVersion ?? '');
    const group = gv ? gv.group : '';
    const kind = ref.kind ?? '';
    const refName = ref.name ?? '';
    let uid: string;
    if (group === '' && kind === 'Pod') {
      checkName(refName);
      pod = state.store.get('pods', ns, refName);
      if (!pod) {throw notFound('pods', refName);}
      if ((pod.spec as { serviceAccountName?: string }).serviceAccountName !== name) {
        throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
      }
      uid = pod.metadata.uid;
      podNodeName = (pod.spec as { nodeName?: string }).nodeName || undefined;
      if (podNodeName) {node = state.store.get('nodes', undefined, podNodeName);}
    } else if (group === '' && kind === 'Node') {
      if (!cfg.nodeBinding) {throw badRequest('cannot bind token to a Node object as the "ServiceAccountTokenNodeBinding" feature-gate is disabled');}
      checkName(refName);
      node = state.store.get('nodes', undefined, refName);
      if (!node) {throw notFound('nodes', refName);}
      uid = node.metadata.uid;
    } else if (group === '' && kind === 'Secret') {
      checkName(refName);
      secret = state.store.get('secrets', ns, refName);
      if (!secret) {throw notFound('secrets', refName);}
      uid = secret.metadata.uid;
    } else {
      const gvs = gv ? `${gv.group}/${gv.version}` : '/';
      throw badRequest(`cannot bind token to object of type ${gvs}, Kind=${kind}`);
    }
    if (ref.uid && ref.uid !== uid) {
      throw conflict(kind, refName, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`, group);
    }
  }
  // 9. cap
  if (cfg.maxTokenExpirationSeconds > 0 && expirationSeconds > cfg.maxTokenExpirationSeconds) {
    ctx.rctx.warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${cfg.maxTokenExpirationSeconds} seconds`);
    expirationSeconds = cfg.maxTokenExpirationSeconds;
  }
  // 10. extension of warn-only pod-bound tokens
  let exp = expirationSeconds;
  let warnAfter: number | undefined;
  if (cfg.extendTokenExpiration && pod && expirationSeconds === WARN_ONLY_SECONDS && audiences.every((a) => cfg.apiAudiences.includes(a))) {
    warnAfter = expirationSeconds;
    exp = EXTENDED_SECONDS;
  }
  const nowSec = Math.floor(nowMs / 1000);
  const claims = buildClaims({ issuer: cfg.issuer, audiences, nowSec, expirationSeconds: exp, warnAfterSeconds: warnAfter, sa, pod, secret, node, podNodeName });
  let token: string;
  try {
    token = await signClaims(state.keys, claims);
    state.issuedTokens.push(token);
  } catch (e) {
    throw internalError(`failed to generate token: ${(e as Error).message}`);
  }
  const out = {
    kind: KIND,
    apiVersion: `${GROUP}/v1`,
    metadata: orderMeta({ ...meta, managedFields: managedFields(ctx, `${GROUP}/v1`, meta.creationTimestamp, requestFields(body, spec), 'token') }),
    spec: { audiences, expirationSeconds, boundObjectRef: ref ? orderRef(ref) : null },
    status: { token, expirationTimestamp: rfc3339(nowMs + expirationSeconds * 1000) },
  };
  sendJson(ctx.res, ctx.rctx, 201, out);
}

/** The fields the request set, after defaulting (expirationSeconds always is). */
function requestFields(body: Record<string, unknown>, spec: { audiences?: unknown; boundObjectRef?: BoundRef | null }): FieldPaths {
  const paths: FieldPaths = [...metadataPaths(body.metadata), ['f:spec', 'f:expirationSeconds']];
  if (Array.isArray(spec.audiences)) {paths.push(['f:spec', 'f:audiences']);}
  for (const [k, v] of Object.entries(spec.boundObjectRef ?? {})) {
    if (typeof v === 'string' && v !== '') {paths.push(['f:spec', 'f:boundObjectRef', `f:${k}`]);}
  }
  return paths;
}

function orderRef(r: BoundRef): BoundRef {
  const o: BoundRef = {};
  if (r.kind) {o.kind = r.kind;}
  if (r.apiVersion) {o.apiVersion = r.apiVersion;}
  if (r.name) {o.name = r.name;}
  if (r.uid) {o.uid = r.uid;}
  return o;
}
