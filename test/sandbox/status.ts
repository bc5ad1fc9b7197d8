// Builders for metav1.Status error bodies (kubernetes/apimachinery pkg/api/errors), keys in wire order.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;
  readonly statusMetadata: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: number, reason: string, message: string, details?: StatusDetails, statusMetadata: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.statusMetadata = statusMetadata;
    this.headers = headers;
  }

  toStatus(): Record<string, unknown> {
    const body: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: this.statusMetadata, status: 'Failure' };
    if (this.message) {body.message = this.message;}
    if (this.reason) {body.reason = this.reason;}
    if (this.details) {body.details = cleanDetails(this.details);}
    body.code = this.code;
    return body;
  }
}

function cleanDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) {out.name = d.name;}
  if (d.group) {out.group = d.group;}
  if (d.kind) {out.kind = d.kind;}
  if (d.uid) {out.uid = d.uid;}
  if (d.causes?.length) {
    out.causes = d.causes.map((c) => {
      const cc: StatusCause = {};
      if (c.reason) {cc.reason = c.reason;}
      if (c.message) {cc.message = c.message;}
      if (c.field) {cc.field = c.field;}
      return cc;
    });
  }
  if (d.retryAfterSeconds) {out.retryAfterSeconds = d.retryAfterSeconds;}
  return out;
}

/** GroupResource.String(): `resource.group`, or `resource` for the core group. */
export function gr(resource: string, group = ''): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(resource: string, name: string, group = ''): ApiError {
  return new ApiError(404, 'NotFound', `${gr(resource, group)} "${name}" not found`, { name, group, kind: resource });
}

export function alreadyExists(resource: string, name: string, group = ''): ApiError {
  return new ApiError(409, 'AlreadyExists', `${gr(resource, group)} "${name}" already exists`, { name, group, kind: resource });
}

export function forbidden(resource: string, name: string, why: string, group = '', causes?: StatusCause[]): ApiError {
  let message: string;
  if (!resource && !group) {message = `forbidden: ${why}`;}
  else if (!name) {message = `${gr(resource, group)} is forbidden: ${why}`;}
  else {message = `${gr(resource, group)} "${name}" is forbidden: ${why}`;}
  return new ApiError(403, 'Forbidden', message, { name, group, kind: resource, causes });
}

export function conflict(resource: string, name: string, why: string, group = ''): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${gr(resource, group)} "${name}": ${why}`, { name, group, kind: resource });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function expired(message: string, continueToken?: string): ApiError {
  return new ApiError(410, 'Expired', message, undefined, continueToken ? { continue: continueToken } : {});
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function internalError(err: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${err}`, { causes: [{ message: err }] });
}

export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** go-restful's answer when no route produces what Accept asks for. */
export function notAcceptable(produces: string): ApiError {
  return new ApiError(406, 'NotAcceptable', `406: Not Acceptable\n\nAvailable representations: ${produces}`, {});
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    'TooManyRequests',
    'Too many requests, please try again later.',
    { retryAfterSeconds },
    {},
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

// ---- field errors (kubernetes/apimachinery pkg/util/validation/field) ----

export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueNotSupported' | 'FieldValueTooLong' | 'FieldValueDuplicate';
  field: string;
  value?: unknown;
  detail?: string;
}

/** How apimachinery renders a bad value inside a field error (JSON for lists and objects, since 1.36). */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) {return 'null';}
  if (typeof v === 'string') {return JSON.stringify(v);}
  if (typeof v === 'number' || typeof v === 'boolean') {return String(v);}
  return JSON.stringify(v);
}

export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueInvalid':
      return `Invalid value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueRequired':
      return `Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueForbidden':
      return `Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueTooLong':
      return `Too long${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${renderValue(e.value)}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** errors.NewInvalid: `<Kind>.<group> "<name>" is invalid: <errors>`. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): ApiError {
  const rendered = errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const agg = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const message = `${gr(kind, group)} "${name}" is invalid${rendered.length ? `: ${agg}` : ''}`;
  return new ApiError(422, 'Invalid', message, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
  });
}
