// The managedFields entry kube-apiserver's field manager adds to created objects (TokenRequest,
// TokenReview): one Update by the request's manager, listing the fields the request set.
import type { Ctx } from './state';

type FieldsV1 = { [key: string]: FieldsV1 };

/** A field path is set when the request's JSON has a non-null value there. */
export type FieldPaths = (readonly string[])[];

function fieldsV1(paths: FieldPaths): FieldsV1 {
  const root: FieldsV1 = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      node = node[segment] ??= {};
    }
  }
  return sorted(root);
}

function sorted(node: FieldsV1): FieldsV1 {
  return Object.fromEntries(Object.keys(node).sort().map((k) => [k, sorted(node[k]!)]));
}

/** `f:` paths for a label or annotation map: the map itself (`.`) and each key. */
export function mapPaths(prefix: readonly string[], map: unknown): FieldPaths {
  if (!map || typeof map !== 'object') {return [];}
  return [[...prefix, '.'], ...Object.keys(map).map((k) => [...prefix, `f:${k}`])];
}

export function metadataPaths(metadata: unknown): FieldPaths {
  const m = (metadata ?? {}) as Record<string, unknown>;
  return [...mapPaths(['f:metadata', 'f:labels'], m.labels), ...mapPaths(['f:metadata', 'f:annotations'], m.annotations)];
}

/** The fieldManager query parameter, else the User-Agent up to its first '/', else "unknown". */
function manager(ctx: Ctx): string {
  const fromQuery = ctx.query.get('fieldManager');
  if (fromQuery) {return fromQuery;}
  const agent = ctx.req.headers['user-agent'] ?? '';
  return agent.split('/')[0] || 'unknown';
}

export function managedFields(ctx: Ctx, apiVersion: string, time: string, paths: FieldPaths, subresource?: string): Record<string, unknown>[] {
  return [{
    manager: manager(ctx),
    operation: 'Update',
    apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: fieldsV1(paths),
    ...(subresource ? { subresource } : {}),
  }];
}
