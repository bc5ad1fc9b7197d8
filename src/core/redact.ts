/**
 * Removes anything that looks like a credential from text bound for logs or error messages.
 * Tokens are bearer credentials: a leaked log line is a leaked identity.
 */

// Three base64url segments starting with a JSON header ('eyJ' = '{"'): signed JWTs and JWE fragments.
const jwtPattern = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
// `Authorization: Bearer xxx`, `bearer xxx`, `token: xxx` / `"token":"xxx"` and `--token=xxx` forms.
const bearerPattern = /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const tokenFieldPattern = /("?(?:token|access_token|id_token|client-key-data|password)"?\s*[:=]\s*"?)([^"\s,}&;]{8,})/gi;
const tokenFlagPattern = /(--token[= ])(\S{8,})/g;

export const redactedMarker = '[REDACTED]';

export function redact(text: string): string {
  return text
    .replace(jwtPattern, redactedMarker)
    .replace(bearerPattern, `$1${redactedMarker}`)
    .replace(tokenFieldPattern, `$1${redactedMarker}`)
    .replace(tokenFlagPattern, `$1${redactedMarker}`);
}
