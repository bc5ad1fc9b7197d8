// Query options of the generic create handler: dryRun, fieldValidation, fieldManager, unknown fields.
import { badRequest, invalid, type FieldError } from './status';
import type { Ctx } from './state';

export interface CreateOptions {
  dryRun: boolean;
  fieldValidation: 'Ignore' | 'Warn' | 'Strict';
}

export function createOptions(ctx: Ctx): CreateOptions {
  const q = ctx.query;
  const errs: FieldError[] = [];
  const fm = q.get('fieldManager') ?? '';
  if (fm.length > 128) {errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', value: fm, detail: 'may not be more than 128 bytes' });}
  [...fm].forEach((ch, i) => {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const cp = ch.codePointAt(0)!;
      errs.push({ type: 'FieldValueInvalid', field: 'fieldManager', value: fm, detail: `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${i})` });
    }
  });
  const dry = q.getAll('dryRun');
  if (dry.some((d) => d !== 'All')) {errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', value: dry, detail: 'supported values: "All"' });}
  const fv = q.get('fieldValidation') ?? '';
  if (!['', 'Ignore', 'Warn', 'Strict'].includes(fv)) {errs.push({ type: 'FieldValueNotSupported', field: 'fieldValidation', value: fv, detail: 'supported values: "", "Ignore", "Strict", "Warn"' });}
  if (errs.length) {throw invalid('CreateOptions', 'meta.k8s.io', '', errs);}
  return { dryRun: dry.includes('All'), fieldValidation: (fv || 'Warn') as CreateOptions['fieldValidation'] };
}

/** Schema as nested key sets; `true` = leaf (any value), `'map'` = free-form keys. */
export type Schema = { [k: string]: Schema | true | 'map' };

export const OBJECT_META: Schema = {
  name: true, generateName: true, namespace: true, selfLink: true, uid: true, resourceVersion: true, generation: true,
  creationTimestamp: true, deletionTimestamp: true, deletionGracePeriodSeconds: true, labels: 'map', annotations: 'map',
  ownerReferences: true, finalizers: true, managedFields: true,
};

function unknownFields(v: unknown, schema: Schema, path: string, out: string[]): void {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {return;}
  for (const [k, child] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    const s = schema[k];
    if (s === undefined) {out.push(p);}
    else if (s !== true && s !== 'map') {unknownFields(child, s, p, out);}
  }
}

/** Parses the body of a `kind` (v1) and applies fieldValidation: Strict → 400, Warn → Warning headers. */
export function decodeBody(ctx: Ctx, kind: string, schema: Schema, opts: CreateOptions): Record<string, unknown> {
  let body: unknown;
  const text = ctx.rawBody.trim();
  if (!text) {body = {};}
  else {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw badRequest(`json: cannot unmarshal: ${(e as Error).message}`);
    }
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {throw badRequest('Object \'Kind\' is missing in the request body');}
  const unknown: string[] = [];
  unknownFields(body, { apiVersion: true, kind: true, ...schema }, '', unknown);
  if (unknown.length && opts.fieldValidation === 'Strict') {
    throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
  }
  if (opts.fieldValidation === 'Warn') {for (const u of unknown) {ctx.rctx.warnings.push(`unknown field "${u}"`);}}
  return body as Record<string, unknown>;
}
