// Authentication: client certificates (CN/O), static bearer tokens, and service-account JWTs.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { validateToken } from './jwt';
import { validateLegacyToken } from './legacyAuth';
import type { UserInfo } from './rbac';
import type { State } from './state';
import { unauthorized } from './status';

export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The request's user; `warnings` receives the authenticators' Warning headers. */
export function authenticate(req: IncomingMessage, state: State, warnings: string[] = []): UserInfo {
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const hasCert = !!peer && Object.keys(peer).length > 0;
  if (hasCert && socket.authorized) {
    const cn = asList(peer!.subject?.CN)[0] ?? '';
    // The x509 authenticator names the credential by the certificate's SHA-256 (credential-id, 1.32+).
    const credentialId = `X509SHA256=${createHash('sha256').update(peer!.raw).digest('hex')}`;
    return { username: cn, groups: [...asList(peer!.subject?.O), 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': [credentialId] } };
  }
  const authz = req.headers.authorization;
  if (authz) {
    const m = authz.match(/^Bearer\s+(\S+)\s*$/i);
    if (!m) {throw unauthorized();}
    const token = m[1];
    const fixed = state.staticTokens.get(token);
    if (fixed) {return fixed;}
    const legacy = validateLegacyToken(token, state);
    if (legacy) {
      if (!legacy.ok) {throw unauthorized();}
      if (legacy.warning) {warnings.push(legacy.warning);}
      return legacy.user;
    }
    const r = validateToken(token, {
      keys: state.keys,
      issuers: [state.cfg.issuer],
      apiAudiences: state.cfg.apiAudiences,
      nowMs: state.now(),
      store: state.store,
    });
    if (r.ok) {return { username: r.user.username, uid: r.user.uid, groups: r.user.groups, extra: r.user.extra };}
    throw unauthorized();
  }
  // A certificate that does not chain to the sandbox CA fails authentication.
  if (hasCert) {throw unauthorized();}
  return ANONYMOUS;
}

/** TokenReview's view of a token: the same authenticators, errors exposed as text. */
export function reviewToken(token: string, audiences: string[], state: State): { user?: UserInfo & { uid?: string }; audiences?: string[]; error?: string } {
  const fixed = state.staticTokens.get(token);
  if (fixed) {return { user: fixed, audiences };}
  const legacy = validateLegacyToken(token, state);
  if (legacy) {return legacy.ok ? { user: legacy.user, audiences } : { error: `[invalid bearer token, ${legacy.error}]` };}
  const r = validateToken(token, {
    keys: state.keys,
    issuers: [state.cfg.issuer],
    apiAudiences: state.cfg.apiAudiences,
    targetAudiences: audiences,
    nowMs: state.now(),
    store: state.store,
  });
  if (r.ok) {return { user: { username: r.user.username, uid: r.user.uid, groups: r.user.groups, extra: r.user.extra }, audiences: r.user.audiences };}
  if (r.ignored || !r.error) {return { error: 'invalid bearer token' };}
  return { error: `[invalid bearer token, ${r.error}]` };
}
