import { isTokenError } from './errors';
import { redact, redactValue } from './redact';

/** Causes nest rarely more than two deep; a longer chain is a loop or noise. */
const maxCauses = 5;

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || isTokenError(value);
}

/**
 * A thrown value in one redacted line, for messages and logs: an Error's message (its name when the
 * message is empty), a string as is, anything else as JSON.
 */
export function describeError(error: unknown): string {
  if (isErrorLike(error)) {
    return redact(error.message === '' ? error.name : error.message);
  }
  if (typeof error === 'string') {
    return redact(error);
  }
  if (typeof error === 'object' && error !== null) {
    try {
      // Credential-named keys are blanked before the text patterns run.
      const json = JSON.stringify(redactValue(error));
      if (json !== undefined) {
        return redact(json);
      }
    } catch {
      // BigInt or a throwing toJSON: fall back to the default string form.
    }
  }
  return redact(String(error));
}

function describeCauses(error: unknown): string {
  const seen = new Set<unknown>([error]);
  let text = '';
  let current: unknown = error;
  for (let depth = 0; depth < maxCauses && isErrorLike(current) && current.cause !== undefined && !seen.has(current.cause); depth++) {
    current = current.cause;
    seen.add(current);
    text += ` (cause: ${describeError(current)})`;
  }
  return text;
}

/**
 * The text of one log line: `message`, or `message: <error> (cause: <its cause>)...` when an error
 * is given. Redacted as a whole too, so a key in the message and its value in the error are still
 * seen together by the patterns.
 */
export function formatLogLine(message: unknown, error?: unknown): string {
  const text = typeof message === 'string' ? message : describeError(message);
  const detail = error === undefined ? '' : `: ${describeError(error)}${describeCauses(error)}`;
  return redact(text + detail);
}
