// Service account issuer discovery (§4): /.well-known/openid-configuration and /openid/v1/jwks.
import { goJson, baseHeaders } from './respond';
import { notAcceptable } from './status';
import type { Ctx } from './state';

export function oidcServed(issuer: string): boolean {
  try {
    const u = new URL(issuer);
    return u.protocol === 'https:' && !u.search && !u.hash && !issuer.includes('?') && !issuer.includes('#');
  } catch {
    return false;
  }
}

function send(ctx: Ctx, body: unknown, contentType: string): void {
  const headers = { ...baseHeaders(ctx.rctx), 'Cache-Control': 'public, max-age=3600', 'Content-Type': contentType };
  ctx.res.writeHead(200, headers);
  ctx.res.end(goJson(body, ctx.rctx.pretty));
}

export function handleOpenIdConfiguration(ctx: Ctx): void {
  const s = ctx.state;
  send(
    ctx,
    {
      issuer: s.cfg.issuer,
      jwks_uri: `${s.url}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: s.keys.algorithms(),
    },
    'application/json',
  );
}

const jwkSetType = 'application/jwk-set+json';

/**
 * Whether an Accept header admits a media type, as go-restful matches it: no header, or any range of
 * the list (parameters ignored) equal to the type, `type/*` or `*\/*`.
 */
function accepts(accept: string | undefined, mediaType: string): boolean {
  if (!accept) {return true;}
  const [type] = mediaType.split('/');
  return accept.split(',').some((range) => {
    const r = range.split(';')[0]!.trim().toLowerCase();
    return r === mediaType || r === '*/*' || r === `${type}/*`;
  });
}

/** kube-apiserver produces the JWKS only as application/jwk-set+json: `Accept: application/json` alone gets 406. */
export function handleJwks(ctx: Ctx): void {
  if (!accepts(ctx.req.headers.accept, jwkSetType)) {
    throw notAcceptable(jwkSetType);
  }
  send(ctx, ctx.state.keys.jwks(), jwkSetType);
}
