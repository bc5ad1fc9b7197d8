// Writes responses the way kube-apiserver does: JSON + "\n", HTML-safe escaping, standard headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiError } from './status';

export interface ResponseContext {
  auditId: string;
  pretty: boolean;
  warnings: string[];
  flowSchemaUid: string;
  priorityLevelUid: string;
  now: () => number;
}

/** encoding/json escapes <, > and & (and U+2028/9); the apiserver's serializer does the same. */
export function goJson(value: unknown, pretty: boolean): string {
  const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

/** Warning header value per RFC 7234 as produced by k8s.io/apiserver/pkg/warning. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

export function baseHeaders(ctx: ResponseContext): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = {
    'Audit-Id': ctx.auditId,
    'Cache-Control': 'no-cache, private',
    Date: new Date(ctx.now()).toUTCString(),
    'X-Kubernetes-Pf-Flowschema-Uid': ctx.flowSchemaUid,
    'X-Kubernetes-Pf-Prioritylevel-Uid': ctx.priorityLevelUid,
  };
  if (ctx.warnings.length) {h.Warning = ctx.warnings.map(warningHeader);}
  return h;
}

export function sendJson(
  res: ServerResponse,
  ctx: ResponseContext,
  code: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  const text = goJson(body, ctx.pretty);
  const headers = { ...baseHeaders(ctx), 'Content-Type': 'application/json', ...extra };
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, ctx: ResponseContext, err: ApiError): void {
  sendJson(res, ctx, err.code, err.toStatus(), err.headers);
}

export function wantsPretty(req: IncomingMessage, query: URLSearchParams): boolean {
  const p = query.get('pretty');
  if (p !== null) {return p === 'true' || p === '1';}
  const ua = req.headers['user-agent'] ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}
