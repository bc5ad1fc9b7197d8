// Derives authorization attributes from a URL like k8s.io/apiserver pkg/endpoints/request/requestinfo.go.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix?: 'api' | 'apis';
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const base: RequestInfo = { isResourceRequest: false, path, verb: (VERBS[method] ?? method).toLowerCase(), apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
  // Go's url.URL.Path is decoded: `clusterroles/system%3Aadmin` names `system:admin`.
  const segs = path.replace(/^\/+|\/+$/g, '').split('/').filter(Boolean).map(decodeSegment);
  if (segs[0] !== 'api' && segs[0] !== 'apis') {return base;}
  let cur = segs.slice(1);
  const info: RequestInfo = { ...base, apiPrefix: segs[0] };
  if (segs[0] === 'apis') {
    if (cur.length < 2) {return base;} // /apis or /apis/<group> are discovery
    info.apiGroup = cur[0];
    cur = cur.slice(1);
  }
  if (cur.length < 2) {return base;} // /api, /api/v1 discovery
  info.apiVersion = cur[0];
  cur = cur.slice(1);
  info.isResourceRequest = true;
  if (cur[0] === 'namespaces' && cur.length > 1) {
    info.namespace = cur[1];
    if (cur.length > 2) {cur = cur.slice(2);}
  }
  info.resource = cur[0] ?? '';
  info.name = cur[1] ?? '';
  info.subresource = cur[2] ?? '';
  info.parts = cur;
  if (method === 'GET' || method === 'HEAD') {
    const watch = query.get('watch') === 'true' || query.get('watch') === '1';
    if (!info.name) {info.verb = watch ? 'watch' : 'list';}
  }
  if (method === 'DELETE' && !info.name) {info.verb = 'deletecollection';}
  return info;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
