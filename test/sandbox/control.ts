// Test-only control endpoints under /sandbox/v1/ (system:masters only). Not part of any real API.
import { normalizeFaults } from './options';
import { sendJson } from './respond';
import type { Ctx } from './state';
import { badRequest, forbidden, pathNotFound } from './status';

function jsonBody(ctx: Ctx): Record<string, unknown> {
  if (!ctx.rawBody.trim()) {return {};}
  try {
    const b = JSON.parse(ctx.rawBody);
    if (b && typeof b === 'object' && !Array.isArray(b)) {return b;}
  } catch {
    /* fall through */
  }
  throw badRequest('sandbox: body must be a JSON object');
}

export function handleControl(ctx: Ctx): void {
  const s = ctx.state;
  if (!ctx.user.groups.includes('system:masters')) {
    throw forbidden('', '', `User "${ctx.user.username}" cannot ${ctx.method.toLowerCase()} path "${ctx.path}"`);
  }
  const op = ctx.path.replace(/^\/sandbox\/v1\/?/, '').replace(/\/$/, '');
  const key = `${ctx.method} ${op}`;
  const ok = (body: unknown) => sendJson(ctx.res, ctx.rctx, 200, body);
  switch (key) {
    case 'GET info':
      return ok({
        url: s.url,
        revision: s.store.revision,
        compactedRevision: s.store.compactedRevision,
        signingKid: s.keys.signer.kid,
        kids: s.keys.verifiers.map((k) => k.kid),
        config: { ...s.cfg },
        counts: { namespaces: s.store.count('namespaces'), serviceaccounts: s.store.count('serviceaccounts'), pods: s.store.count('pods'), secrets: s.store.count('secrets'), nodes: s.store.count('nodes') },
      });
    case 'POST rotate-keys': {
      const dropOld = ['true', '1'].includes(ctx.query.get('dropOld') ?? '');
      const kt = ctx.query.get('keyType') ?? s.cfg.keyType;
      if (kt !== 'RS256' && kt !== 'ES256') {throw badRequest('sandbox: keyType must be RS256 or ES256');}
      const k = s.keys.rotate(kt, dropOld);
      return ok({ signingKid: k.kid, kids: s.keys.verifiers.map((v) => v.kid) });
    }
    case 'POST compact':
      return ok({ compactedRevision: s.store.compact() });
    case 'POST faults': {
      const b = jsonBody(ctx);
      s.cfg.faults = b.reset ? normalizeFaults({}) : normalizeFaults(b, s.cfg.faults);
      if (typeof b.latencyMs === 'number') {s.cfg.latencyMs = b.latencyMs;}
      return ok({ faults: s.cfg.faults, latencyMs: s.cfg.latencyMs });
    }
    case 'POST clock': {
      const b = jsonBody(ctx);
      if (typeof b.offsetSeconds === 'number') {s.cfg.clockOffsetSeconds = b.offsetSeconds;}
      else if (typeof b.advanceSeconds === 'number') {s.cfg.clockOffsetSeconds += b.advanceSeconds;}
      else {throw badRequest('sandbox: expected {"offsetSeconds": n} or {"advanceSeconds": n}');}
      return ok({ offsetSeconds: s.cfg.clockOffsetSeconds, now: new Date(s.now()).toISOString() });
    }
    case 'POST config': {
      const b = jsonBody(ctx);
      const c = s.cfg;
      if (typeof b.maxTokenExpirationSeconds === 'number') {c.maxTokenExpirationSeconds = b.maxTokenExpirationSeconds;}
      if (typeof b.extendTokenExpiration === 'boolean') {c.extendTokenExpiration = b.extendTokenExpiration;}
      if (typeof b.nodeBinding === 'boolean') {c.nodeBinding = b.nodeBinding;}
      if (typeof b.continueTtlSeconds === 'number') {c.continueTtlSeconds = s.paging.continueTtlSeconds = b.continueTtlSeconds;}
      return ok({ maxTokenExpirationSeconds: c.maxTokenExpirationSeconds, extendTokenExpiration: c.extendTokenExpiration, nodeBinding: c.nodeBinding, continueTtlSeconds: c.continueTtlSeconds });
    }
    case 'GET requests':
      return ok({ requests: s.requests });
    case 'DELETE requests':
      s.requests.length = 0;
      return ok({ requests: [] });
    default:
      throw pathNotFound();
  }
}
