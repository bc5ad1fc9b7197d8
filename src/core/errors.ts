import { redact, redactValue } from './redact';

/**
 * Stable machine-readable error codes. UI code branches on these, never on message text,
 * and never with `instanceof` (the kube layer may be bundled separately, with its own class copy).
 */
export type TokenErrorCode =
  | 'ERR_KUBECONFIG_MISSING'
  | 'ERR_KUBECONFIG_INVALID'
  | 'ERR_CONTEXT_NOT_FOUND'
  | 'ERR_UNREACHABLE'
  | 'ERR_TIMEOUT'
  | 'ERR_TLS'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_CONFLICT'
  | 'ERR_INVALID'
  | 'ERR_BAD_REQUEST'
  | 'ERR_EXPIRED'
  | 'ERR_TOO_MANY_REQUESTS'
  | 'ERR_SERVER'
  | 'ERR_CANCELLED'
  | 'ERR_EXEC_PLUGIN'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_INPUT_INVALID'
  | 'ERR_ISSUER_CHANGED';

/** Every code, for runtime checks (duck typing) and exhaustive tests. */
export const tokenErrorCodes: readonly TokenErrorCode[] = [
  'ERR_KUBECONFIG_MISSING', 'ERR_KUBECONFIG_INVALID', 'ERR_CONTEXT_NOT_FOUND', 'ERR_UNREACHABLE',
  'ERR_TIMEOUT', 'ERR_TLS', 'ERR_UNAUTHORIZED', 'ERR_FORBIDDEN', 'ERR_NOT_FOUND', 'ERR_CONFLICT',
  'ERR_INVALID', 'ERR_BAD_REQUEST', 'ERR_EXPIRED', 'ERR_TOO_MANY_REQUESTS', 'ERR_SERVER',
  'ERR_CANCELLED', 'ERR_EXEC_PLUGIN', 'ERR_TOKEN_MALFORMED', 'ERR_INPUT_INVALID', 'ERR_ISSUER_CHANGED',
];

/** One entry of a Kubernetes Status `details.causes`. */
export interface KubeStatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** The parts of a Kubernetes `Status` error body that explain a failure. */
export interface KubeStatus {
  /** HTTP status code as reported in the body (`code`). */
  readonly code?: number;
  /** Machine reason such as `NotFound`, `Forbidden`, `Invalid`. */
  readonly reason?: string;
  readonly message?: string;
  readonly details?: {
    readonly name?: string;
    readonly kind?: string;
    readonly group?: string;
    readonly uid?: string;
    readonly causes?: readonly KubeStatusCause[];
    readonly retryAfterSeconds?: number;
  };
}

/** Optional context attached to a {@link TokenError}. */
export interface TokenErrorOptions {
  /** The parsed Status body when the error came from the API server. */
  readonly status?: KubeStatus;
  /** What the user can do about it, in one sentence. */
  readonly hint?: string;
  /** The underlying error, kept for debugging (the log shows its message, users do not). */
  readonly cause?: unknown;
}

/**
 * The single error type of the extension. Message, hint, the server's Status (servers echo request
 * input into it) and the cause are redacted on construction, so a token pasted into an input or
 * sent in a request can never travel onwards inside an error.
 */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly code: TokenErrorCode;
  readonly status?: KubeStatus;
  readonly hint?: string;

  constructor(code: TokenErrorCode, message: string, options: TokenErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: redactValue(options.cause) });
    this.code = code;
    if (options.status !== undefined) {
      this.status = redactValue(options.status);
    }
    if (options.hint !== undefined) {
      this.hint = redact(options.hint);
    }
  }
}

const knownCodes = new Set<string>(tokenErrorCodes);

/**
 * True for any object shaped like a {@link TokenError}, whichever bundle created it.
 * Checks the `code` against the known codes, so Node's own `ERR_*` errors are not mistaken for ours.
 */
export function isTokenError(e: unknown): e is TokenError {
  if (typeof e !== 'object' || e === null) {
    return false;
  }
  const candidate = e as { code?: unknown; message?: unknown };
  return typeof candidate.code === 'string' && knownCodes.has(candidate.code) && typeof candidate.message === 'string';
}
