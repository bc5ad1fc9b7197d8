/**
 * The one place where a failed Kubernetes request becomes a TokenError: HTTP statuses (with the
 * server's `Status` body), network and TLS failures, timeouts, cancellation and credential-plugin
 * failures. Everything else in src/kube throws what these functions return, so the UI sees one
 * vocabulary (`code`) with the server's own words (`message`, `status`) and one actionable `hint`.
 */
import { TokenError, type KubeStatus, type TokenErrorCode } from '../core/errors';
import { errorCodeForHttpStatus, parseKubeStatus } from '../core/kubernetes/kubeStatus';

/** What was being attempted, so messages can name the permission and the target. */
export interface RequestDescription {
  readonly method: string;
  /** The request path (no query), for messages. */
  readonly path: string;
  /** RBAC verb: get, list, create. */
  readonly verb: string;
  /** Plural resource (`serviceaccounts`), absent for non-resource paths. */
  readonly resource?: string;
  readonly subresource?: string;
  /** API group; '' or absent = core. */
  readonly group?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Authenticated with a given token instead of the kubeconfig user. */
  readonly asToken?: boolean;
}

/** Who and where, for messages. */
export interface ConnectionDescription {
  readonly server: string;
  readonly contextName: string;
  readonly userName: string;
}

const discoveryPaths = ['/.well-known/openid-configuration', '/openid/v1/jwks'];

/** `create on serviceaccounts/token in namespace "build"`, or `get on path "/openid/v1/jwks"`. */
export function describePermission(req: RequestDescription): string {
  if (req.resource === undefined) {
    return `${req.verb} on path "${req.path}"`;
  }
  const resource = req.subresource === undefined ? req.resource : `${req.resource}/${req.subresource}`;
  const group = req.group === undefined || req.group === '' ? '' : ` (API group "${req.group}")`;
  const scope = req.namespace === undefined ? 'at the cluster scope' : `in namespace "${req.namespace}"`;
  return `${req.verb} on ${resource}${group} ${scope}`;
}

export { parseKubeStatus as parseStatus };

/** Maps a non-2xx response to a TokenError. */
export function errorFromResponse(
  httpStatus: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  bodyText: string,
  req: RequestDescription,
  conn: ConnectionDescription,
): TokenError {
  let status = parseKubeStatus(bodyText);
  const serverMessage = status?.message;
  const fallback = `${req.method} ${req.path} failed with HTTP ${httpStatus}${bodyText.trim() === '' ? '' : `: ${bodyText.trim().slice(0, 200)}`}`;
  const message = serverMessage ?? fallback;
  const opts = (code: TokenErrorCode, text: string, hint?: string): TokenError =>
    new TokenError(code, text, { ...(status === undefined ? {} : { status }), ...(hint === undefined ? {} : { hint }) });

  // The code comes from the core's table (so the UI and the kube layer agree); messages and hints from here.
  const code = errorCodeForHttpStatus(httpStatus);
  switch (code) {
    case 'ERR_UNAUTHORIZED':
      if (req.asToken) {
        return opts(
          'ERR_UNAUTHORIZED',
          `The API server rejected the token (401 Unauthorized) for ${req.method} ${req.path}.`,
          'The token is expired, invalidated (its service account or bound object was deleted), or not meant for this API server (audience).',
        );
      }
      return opts(
        'ERR_UNAUTHORIZED',
        `The API server at ${conn.server} rejected the credentials of user "${conn.userName}" in context "${conn.contextName}" (401 Unauthorized).`,
        'The credentials may have expired: log in again (or refresh the kubeconfig), or Switch Context.',
      );
    case 'ERR_FORBIDDEN': {
      if (req.resource === undefined && discoveryPaths.some((p) => req.path.startsWith(p))) {
        return opts(
          'ERR_FORBIDDEN',
          message,
          'Reading the service-account issuer keys needs get on the OIDC discovery paths, granted by the ClusterRole system:service-account-issuer-discovery (bound to system:serviceaccounts by default).',
        );
      }
      const who = req.asToken ? 'The token' : `User "${conn.userName}"`;
      let hint = `${who} needs permission: ${describePermission(req)}.`;
      if (req.resource === 'serviceaccounts' && req.subresource === 'token') {hint += ' The edit and admin roles grant it; view does not.';}
      if (req.verb === 'list' && req.namespace === undefined && req.resource !== 'namespaces' && req.resource !== 'nodes') {
        hint += ' List per namespace instead.';
      }
      return opts('ERR_FORBIDDEN', message, hint);
    }
    case 'ERR_NOT_FOUND':
      return opts('ERR_NOT_FOUND', message, notFoundHint(req, status));
    case 'ERR_CONFLICT':
      return opts('ERR_CONFLICT', message, conflictHint(status));
    case 'ERR_INVALID': {
      const causes = status?.details?.causes ?? [];
      const fields = causes.map((c) => c.field).filter((f): f is string => f !== undefined && f !== '');
      return opts('ERR_INVALID', message, fields.length > 0 ? `Check ${[...new Set(fields)].join(', ')}.` : undefined);
    }
    case 'ERR_EXPIRED':
      return opts('ERR_EXPIRED', message, 'The listing is too old to continue; restart it from the first page.');
    case 'ERR_TOO_MANY_REQUESTS': {
      const retryAfter = retryAfterSeconds(headers, status);
      if (retryAfter !== undefined && status !== undefined && status.details?.retryAfterSeconds === undefined) {
        status = { ...status, details: { ...status.details, retryAfterSeconds: retryAfter } };
      } else if (retryAfter !== undefined && status === undefined) {
        status = { code: 429, reason: 'TooManyRequests', details: { retryAfterSeconds: retryAfter } };
      }
      return opts(
        'ERR_TOO_MANY_REQUESTS',
        serverMessage ?? `The API server is throttling requests (429 Too Many Requests).`,
        retryAfter === undefined ? 'Retry in a moment.' : `Retry after ${retryAfter} s.`,
      );
    }
    case 'ERR_TIMEOUT': // 504 from the API server or a proxy in front of it
      return opts('ERR_TIMEOUT', serverMessage ?? `The API server at ${conn.server} timed out (HTTP ${httpStatus}) for ${req.method} ${req.path}.`, 'Retry; the server or a proxy in front of it is overloaded.');
    case 'ERR_SERVER':
      return opts(
        'ERR_SERVER',
        serverMessage ?? `The API server at ${conn.server} failed with HTTP ${httpStatus} for ${req.method} ${req.path}.`,
        'A server-side problem; retry later or check the cluster\'s health.',
      );
    default:
      return opts(code, message);
  }
}

function notFoundHint(req: RequestDescription, status: KubeStatus | undefined): string | undefined {
  const kind = status?.details?.kind;
  if (kind === 'namespaces') {return 'The namespace does not exist (any more); refresh the view.';}
  if (req.resource === undefined && discoveryPaths.some((p) => req.path.startsWith(p))) {
    return 'This API server does not serve OIDC discovery (its --service-account-issuer is not an https URL).';
  }
  if (kind !== undefined && req.resource !== undefined && kind !== req.resource) {
    return `The ${kind.replace(/s$/, '')} named in the request does not exist (any more); pick it again.`;
  }
  return 'It may have been deleted; refresh the view.';
}

function conflictHint(status: KubeStatus | undefined): string | undefined {
  const text = status?.message ?? '';
  if (text.includes('bound object reference')) {return 'The bound object was recreated with a new uid; pick it again.';}
  if (text.includes('UID of the service account')) {return 'The service account was recreated with a new uid; refresh and pick it again.';}
  return undefined;
}

function retryAfterSeconds(headers: Readonly<Record<string, string | string[] | undefined>>, status: KubeStatus | undefined): number | undefined {
  const header = headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && /^\d+$/.test(value.trim())) {return Number(value.trim());}
  if (value !== undefined) {
    const at = Date.parse(value);
    if (!Number.isNaN(at)) {return Math.max(0, Math.ceil((at - Date.now()) / 1000));}
  }
  return status?.details?.retryAfterSeconds;
}

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

const unreachableWords: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
  EADDRNOTAVAIL: 'address not available',
};

/** Maps a transport-level failure (no HTTP response) to a TokenError. */
export function errorFromNetwork(error: unknown, req: RequestDescription, conn: ConnectionDescription): TokenError {
  if (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TokenError') {
    return error as TokenError;
  }
  const err = error as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const text = err instanceof Error ? err.message : String(error);
  if (code !== undefined && (tlsCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
    return new TokenError('ERR_TLS', `TLS connection to ${conn.server} failed: ${text} (${code}).`, { hint: tlsHint(code), cause: error });
  }
  if (code !== undefined && unreachableCodes.has(code)) {
    return new TokenError('ERR_UNREACHABLE', `Cannot reach the API server at ${conn.server}: ${unreachableWords[code]} (${code}).`, {
      hint: 'Check that the cluster is running and that the kubeconfig\'s server URL is reachable (VPN, port-forward, proxy), then Retry.',
      cause: error,
    });
  }
  if (text === 'socket hang up') {
    return new TokenError('ERR_UNREACHABLE', `The API server at ${conn.server} closed the connection (socket hang up).`, {
      hint: 'Retry; if it persists, check the server URL and any proxy in between.',
      cause: error,
    });
  }
  return new TokenError('ERR_UNREACHABLE', `${req.method} ${req.path} on ${conn.server} failed: ${text}${code === undefined ? '' : ` (${code})`}.`, {
    hint: 'Check the connection to the cluster, then Retry.',
    cause: error,
  });
}

function tlsHint(code: string): string {
  switch (code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'The server certificate does not name the host in the kubeconfig\'s server URL; fix the URL or set tls-server-name on the cluster.';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'The server certificate is outside its validity period; check the cluster\'s certificates and this machine\'s clock.';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'The server certificate is not signed by the kubeconfig\'s CA; check certificate-authority(-data) for this cluster.';
    default:
      return 'Check the cluster\'s CA and client certificate in the kubeconfig.';
  }
}

export function timeoutError(req: RequestDescription, conn: ConnectionDescription, timeoutMs: number): TokenError {
  return new TokenError('ERR_TIMEOUT', `The API server at ${conn.server} did not answer ${req.method} ${req.path} within ${formatSeconds(timeoutMs)}.`, {
    hint: 'The cluster is slow or unreachable; Retry, or raise the request timeout setting.',
  });
}

export function cancelledError(req: RequestDescription): TokenError {
  return new TokenError('ERR_CANCELLED', `${req.method} ${req.path} was cancelled.`);
}

/** A failure while obtaining credentials for the kubeconfig user (exec plugin, OIDC refresh, token file). */
export function credentialError(error: unknown, conn: ConnectionDescription, user: { exec?: unknown; authProvider?: unknown }): TokenError {
  const text = error instanceof Error ? error.message.trim() : String(error).trim();
  if (user.exec !== undefined && user.exec !== null) {
    const command = typeof user.exec === 'object' ? String((user.exec as { command?: unknown }).command ?? '') : '';
    const errno = (error as NodeJS.ErrnoException)?.code;
    const detail = errno === 'ENOENT' ? `command not found (${command})` : text === '' ? 'it failed without output' : text;
    return new TokenError('ERR_EXEC_PLUGIN', `The credential plugin "${command}" of user "${conn.userName}" failed: ${detail}`, {
      hint: errno === 'ENOENT'
        ? 'Install the plugin or fix users[].user.exec.command in the kubeconfig.'
        : 'Run the plugin in a terminal (it may need you to log in), then Retry.',
      cause: error,
    });
  }
  return new TokenError('ERR_UNAUTHORIZED', `Cannot get credentials for user "${conn.userName}" in context "${conn.contextName}": ${text}`, {
    hint: 'Refresh the credentials (log in again) or fix the user entry in the kubeconfig.',
    cause: error,
  });
}

function formatSeconds(ms: number): string {
  if (ms < 1000) {return `${ms} ms`;}
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${Number((ms / 1000).toFixed(2))} s`;
}
