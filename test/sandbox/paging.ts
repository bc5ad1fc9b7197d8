// limit/continue paging with opaque continue tokens, as kubernetes/apiserver pkg/storage/continue.go.
import { badRequest, expired, invalid, type FieldError } from './status';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors';
import type { Entry, KObject, Resource, Store } from './store';

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** The etcd3 continue token: the last key, relative to the list's key prefix, so it starts with '/'. */
export function encodeContinue(rv: number, lastKey: string): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `/${lastKey}\u0000` });
  return Buffer.from(json, 'utf8').toString('base64url');
}

function cleanPath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') {continue;}
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') {out.pop();}
      else if (!abs) {out.push('..');}
    } else {out.push(seg);}
  }
  const joined = (abs ? '/' : '') + out.join('/');
  return joined || (abs ? '/' : '.');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  const generic = 'continue key is not valid';
  if (!/^[A-Za-z0-9_-]*$/.test(token)) {throw badRequest(`invalid continue token: ${generic}: illegal base64 data at input byte 0`);}
  let c: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof c !== 'object' || c === null) {throw new Error('not an object');}
  } catch (e) {
    throw badRequest(`invalid continue token: ${generic}: ${(e as Error).message}`);
  }
  if (c.v !== 'meta.k8s.io/v1') {
    throw badRequest(`invalid continue token: ${generic}: server does not recognize this encoded version ${String(c.v ?? '')}`);
  }
  const rv = typeof c.rv === 'number' ? c.rv : 0;
  if (rv === 0) {throw badRequest(`invalid continue token: ${generic}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`);}
  const start = typeof c.start === 'string' ? c.start : '';
  if (!start) {throw badRequest(`invalid continue token: ${generic}: encoded start key empty (version meta.k8s.io/v1)`);}
  if (cleanPath(start) !== start) {throw badRequest(`invalid continue token: ${generic}: ${start}`);}
  return { rv, start };
}

export interface ListRequest {
  resource: Resource;
  namespace?: string;
  query: URLSearchParams;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface PagingClock {
  now(): number;
  continueTtlSeconds: number;
  /** First time a continue token was handed out for a revision. */
  issued: Map<number, number>;
}

export function validateListOptions(q: URLSearchParams): void {
  const match = q.get('resourceVersionMatch') ?? '';
  if (!match) {return;}
  const rv = q.get('resourceVersion') ?? '';
  const errs: FieldError[] = [];
  if (q.get('watch') === 'true' || q.get('watch') === '1') {errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch' });}
  if (!rv) {errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' });}
  if (q.get('continue')) {errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });}
  if (match === 'Exact') {
    if (rv === '0') {errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"' });}
  } else if (match !== 'NotOlderThan') {
    errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', value: match, detail: 'supported values: "Exact", "NotOlderThan", ""' });
  }
  if (errs.length) {throw invalid('ListOptions', 'meta.k8s.io', '', errs);}
}

export function list(store: Store, clock: PagingClock, r: ListRequest): ListResult {
  const q = r.query;
  validateListOptions(q);
  const labelSel = q.get('labelSelector') ? parseLabelSelector(q.get('labelSelector')!) : [];
  const fieldSel = q.get('fieldSelector') ? parseFieldSelector(r.resource, q.get('fieldSelector')!) : [];
  const limitRaw = Number(q.get('limit') ?? '0');
  const rvParam = q.get('resourceVersion') ?? '';
  // resourceVersion=0 is served from the watch cache, which historically ignores limit.
  const limit = rvParam === '0' ? 0 : Number.isFinite(limitRaw) && limitRaw > 0 ? Math.floor(limitRaw) : 0;
  const token = q.get('continue') ?? '';
  let rev = store.revision;
  let start = '';
  const prefix = r.namespace !== undefined ? `${r.namespace}/` : '';
  if (token) {
    const c = decodeContinue(token);
    if (rvParam && rvParam !== '0') {throw badRequest('specifying resource version is not allowed when using continue');}
    const relative = c.start.replace(/^\//, '');
    const lastKey = relative.replace(/\u0000$/, '');
    if (c.rv > 0) {
      const issuedAt = clock.issued.get(c.rv);
      const tooOld = issuedAt !== undefined && clock.now() - issuedAt > clock.continueTtlSeconds * 1000;
      if (c.rv < store.compactedRevision || tooOld) {
        throw expired(INCONSISTENT_CONTINUE, encodeContinue(-1, lastKey));
      }
      if (c.rv > store.revision) {throw expired(CONTINUE_EXPIRED);}
      rev = c.rv;
    }
    start = prefix + relative;
  }
  const all = store.snapshot(r.resource, rev);
  let lo = lowerBound(all, start > prefix ? start : prefix);
  const selecting = labelSel.length > 0 || fieldSel.length > 0;
  const items: KObject[] = [];
  let lastKey = '';
  let more = false;
  for (; lo < all.length; lo++) {
    const e = all[lo];
    if (prefix && !e.key.startsWith(prefix)) {break;}
    if (selecting && !(matchLabels(labelSel, e.obj.metadata.labels) && matchFields(r.resource, fieldSel, e.obj))) {continue;}
    if (limit && items.length === limit) {
      more = true;
      break;
    }
    items.push(e.obj);
    lastKey = e.key;
  }
  const result: ListResult = { items, resourceVersion: String(rev) };
  if (more) {
    // Keys are `ns/name` across namespaces, `name` inside one namespace (as in etcd, relative to the prefix).
    result.continue = encodeContinue(rev, prefix ? lastKey.slice(prefix.length) : lastKey);
    if (!clock.issued.has(rev)) {clock.issued.set(rev, clock.now());}
    if (!selecting) {
      let end = all.length;
      if (prefix) {end = lowerBound(all, prefix.slice(0, -1) + '0');} // '0' sorts right after '/'
      result.remainingItemCount = end - lowerBound(all, lastKey + '\u0000');
    }
  }
  return result;
}

function lowerBound(all: Entry[], key: string): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].key < key) {lo = mid + 1;}
    else {hi = mid;}
  }
  return lo;
}
