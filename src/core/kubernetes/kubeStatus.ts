import type { KubeStatus, KubeStatusCause, TokenErrorCode } from '../errors';

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a Kubernetes `Status` error body (object or JSON text), keeping only well-typed fields.
 * Undefined when the body is not a Status (e.g. an HTML error page from a proxy).
 */
export function parseKubeStatus(body: unknown): KubeStatus | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'Status') {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  const d = typeof v.details === 'object' && v.details !== null ? v.details as Record<string, unknown> : undefined;
  const causes: KubeStatusCause[] | undefined = Array.isArray(d?.causes)
    ? d.causes.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null).map((c) => ({
      ...(str(c.reason) !== undefined ? { reason: str(c.reason) } : {}),
      ...(str(c.message) !== undefined ? { message: str(c.message) } : {}),
      ...(str(c.field) !== undefined ? { field: str(c.field) } : {}),
    }))
    : undefined;
  const details = d === undefined ? undefined : {
    ...(str(d.name) !== undefined ? { name: str(d.name) } : {}),
    ...(str(d.kind) !== undefined ? { kind: str(d.kind) } : {}),
    ...(str(d.group) !== undefined ? { group: str(d.group) } : {}),
    ...(str(d.uid) !== undefined ? { uid: str(d.uid) } : {}),
    ...(causes !== undefined ? { causes } : {}),
    ...(typeof d.retryAfterSeconds === 'number' ? { retryAfterSeconds: d.retryAfterSeconds } : {}),
  };
  return {
    ...(typeof v.code === 'number' ? { code: v.code } : {}),
    ...(str(v.reason) !== undefined ? { reason: str(v.reason) } : {}),
    ...(str(v.message) !== undefined ? { message: str(v.message) } : {}),
    ...(details !== undefined ? { details } : {}),
  };
}

/** Maps an HTTP status from the API server to an error code. */
export function errorCodeForHttpStatus(status: number): TokenErrorCode {
  switch (status) {
    case 400: return 'ERR_BAD_REQUEST';
    case 401: return 'ERR_UNAUTHORIZED';
    case 403: return 'ERR_FORBIDDEN';
    case 404: return 'ERR_NOT_FOUND';
    case 409: return 'ERR_CONFLICT';
    case 410: return 'ERR_EXPIRED';
    case 422: return 'ERR_INVALID';
    case 429: return 'ERR_TOO_MANY_REQUESTS';
    case 504: return 'ERR_TIMEOUT';
    default: return status >= 500 ? 'ERR_SERVER' : 'ERR_BAD_REQUEST';
  }
}
