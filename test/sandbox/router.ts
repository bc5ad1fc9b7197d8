// Dispatches an authenticated, authorized request to its handler.
import { handleControl } from './control';
import { apiGroupDoc, apiGroupList, apiVersions, coreResourceList, groupResourceList, versionInfo } from './discovery';
import { handleJwks, handleOpenIdConfiguration, oidcServed } from './oidc';
import { handleRbac, handleSubjectAccessReview, RBAC_GROUP } from './rbacApi';
import { handleCore, isCoreResource } from './resources';
import { sendJson } from './respond';
import { handleSelfSubjectAccessReview, handleSelfSubjectReview, handleSelfSubjectRulesReview, handleTokenReview } from './reviews';
import type { Ctx } from './state';
import { methodNotAllowed, pathNotFound } from './status';
import { handleTokenRequest } from './tokenRequest';

function ok(ctx: Ctx, body: unknown, pretty = ctx.rctx.pretty): void {
  const saved = ctx.rctx.pretty;
  ctx.rctx.pretty = pretty;
  sendJson(ctx.res, ctx.rctx, 200, body);
  ctx.rctx.pretty = saved;
}

export async function route(ctx: Ctx): Promise<void> {
  const p = ctx.path.length > 1 ? ctx.path.replace(/\/+$/, '') : ctx.path;
  const { info } = ctx;
  if (p.startsWith('/sandbox/v1/') || p === '/sandbox/v1') {return handleControl(ctx);}

  if (!info.isResourceRequest) {
    const get = ctx.method === 'GET' || ctx.method === 'HEAD';
    const hostPort = new URL(ctx.state.url).host;
    const serve = (body: unknown, pretty?: boolean) => (get ? ok(ctx, body, pretty) : Promise.reject(methodNotAllowed()));
    switch (p) {
      case '/version':
        return serve(versionInfo(ctx.state.cfg), true);
      case '/healthz':
      case '/livez':
      case '/readyz':
        if (!get) {throw methodNotAllowed();}
        ctx.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache, private', 'Audit-Id': ctx.rctx.auditId });
        ctx.res.end('ok');
        return;
      case '/api':
        return serve(apiVersions(hostPort));
      case '/api/v1':
        return serve(coreResourceList());
      case '/apis':
        return serve(apiGroupList());
      case '/.well-known/openid-configuration':
      case '/openid/v1/jwks':
        if (!oidcServed(ctx.state.cfg.issuer)) {throw pathNotFound();}
        if (!get) {throw methodNotAllowed();}
        return p === '/openid/v1/jwks' ? handleJwks(ctx) : handleOpenIdConfiguration(ctx);
    }
    const m = p.match(/^\/apis\/([^/]+)(?:\/([^/]+))?$/);
    if (m) {
      const doc = m[2] ? groupResourceList(m[1], m[2]) : apiGroupDoc(m[1]);
      if (doc) {return serve(doc);}
      // Groups nothing serves fall through to the aggregator's plain-text not-found handler.
      ctx.res.writeHead(404, { 'Audit-Id': ctx.rctx.auditId, 'Cache-Control': 'no-cache, private', 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      ctx.res.end('404 page not found\n');
      return;
    }
    throw pathNotFound();
  }

  const group = info.apiGroup;
  if (info.apiPrefix === 'api' && info.apiVersion === 'v1') {
    if (info.resource === 'serviceaccounts' && info.subresource === 'token' && info.namespace && info.parts.length === 3) {return handleTokenRequest(ctx);}
    if (isCoreResource(info.resource)) {return handleCore(ctx);}
    throw pathNotFound();
  }
  if (group === RBAC_GROUP && info.apiVersion === 'v1') {return handleRbac(ctx);}
  if (info.parts.length !== 1) {throw pathNotFound();}
  if (group === 'authentication.k8s.io' && info.apiVersion === 'v1') {
    if (info.resource === 'tokenreviews' && !info.namespace) {return handleTokenReview(ctx);}
    if (info.resource === 'selfsubjectreviews' && !info.namespace) {return handleSelfSubjectReview(ctx);}
  }
  if (group === 'authorization.k8s.io' && info.apiVersion === 'v1' && !info.namespace) {
    if (info.resource === 'selfsubjectrulesreviews') {return handleSelfSubjectRulesReview(ctx);}
    if (info.resource === 'selfsubjectaccessreviews') {return handleSelfSubjectAccessReview(ctx);}
    if (info.resource === 'subjectaccessreviews') {return handleSubjectAccessReview(ctx, (u, i) => ctx.state.rbac.allowed(u, i));}
  }
  throw pathNotFound();
}
