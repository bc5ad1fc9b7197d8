import { base64url, decodeJwt, decodeProtectedHeader } from 'jose';
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { TokenError } from '../errors';

/** Tokens are a few KiB; anything larger is a wrong paste, and refusing early keeps the UI responsive. */
export const maxTokenLength = 64 * 1024;

/** A decoded (NOT verified) JWS-compact JWT. */
export interface DecodedToken {
  readonly header: ProtectedHeaderParameters;
  readonly claims: JWTPayload;
  /** `header.payload` as sent: the bytes the signature covers. */
  readonly signingInput: string;
  /** The base64url signature part (empty for unsecured tokens). */
  readonly signature: string;
  /** The normalized token that was decoded (prefixes and whitespace removed). Never log it. */
  readonly raw: string;
  /** What was cleaned up or looks unusual, one sentence each (e.g. a `Bearer ` prefix removed). */
  readonly notes: string[];
}

/** Result form of {@link decodeToken} for callers that prefer not to catch. */
export type DecodeResult = { readonly ok: true; readonly token: DecodedToken } | { readonly ok: false; readonly error: TokenError };

const partNames = ['header (part 1)', 'payload (part 2)', 'signature (part 3)'] as const;
const base64urlPattern = /^[A-Za-z0-9_-]*$/;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(message: string, cause?: unknown): TokenError {
  return new TokenError('ERR_TOKEN_MALFORMED', message, cause === undefined ? {} : { cause });
}

function describeSize(length: number): string {
  return length >= 1024 * 1024 ? `${(length / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(length / 1024)} KiB`;
}

function jsonKind(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Strips what people commonly paste around a token, noting each change. */
function normalize(input: string, notes: string[]): string {
  let text = input.trim();
  const prefix = /^(?:authorization:\s*)?bearer(?:\s+|$)/i.exec(text);
  if (prefix !== null) {
    text = text.slice(prefix[0].length);
    notes.push('Removed a "Bearer " prefix.');
  }
  const quoted = /^(["'])(.*)\1$/s.exec(text);
  if (quoted !== null) {
    text = quoted[2]!.trim();
    notes.push('Removed surrounding quotes.');
  }
  if (/\s/.test(text)) {
    text = text.replace(/\s+/g, '');
    notes.push('Removed whitespace inside the token (line breaks from wrapping?).');
  }
  return text;
}

function decodePartJson(part: string, index: 0 | 1): unknown {
  const name = partNames[index];
  if (part === '') {
    throw malformed(`The ${name} is empty.`);
  }
  if (part.endsWith('=')) {
    throw malformed(`The ${name} has "=" padding; JWTs use unpadded base64url. Check the token was copied exactly.`);
  }
  const bad = /[^A-Za-z0-9_-]/.exec(part);
  if (bad !== null) {
    throw malformed(`The ${name} is not valid base64url: unexpected character ${JSON.stringify(bad[0])} at position ${bad.index + 1}.`);
  }
  if (part.length % 4 === 1) {
    throw malformed(`The ${name} is not valid base64url: its length is impossible (truncated?).`);
  }
  let text: string;
  try {
    text = fatalUtf8.decode(base64url.decode(part));
  } catch (cause) {
    throw malformed(`The ${name} does not decode to UTF-8 text.`, cause);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw malformed(`The ${name} is not JSON after base64url decoding.`, cause);
  }
}

/**
 * Decodes a JWT without verifying it, with a specific, actionable message for each way a paste goes wrong:
 * empty, oversized, JWE, wrong part count, bad base64url, non-JSON, non-object. Leniently strips a
 * `Bearer ` prefix, quotes and whitespace (recorded in `notes`).
 * @throws TokenError `ERR_TOKEN_MALFORMED`; never anything else.
 */
export function decodeToken(input: string): DecodedToken {
  if (typeof input !== 'string') {
    throw malformed('The input is not text.');
  }
  if (input.length > maxTokenLength) {
    throw malformed(`The input is ${describeSize(input.length)}; a service-account token is a few KiB (at most 64 KiB accepted). Check you copied only the token.`);
  }
  const notes: string[] = [];
  const raw = normalize(input, notes);
  if (raw === '') {
    throw malformed('The input is empty. Paste a token: a JWT is three base64url parts separated by dots (header.payload.signature).');
  }
  const parts = raw.split('.');
  if (parts.length === 5) {
    throw malformed('This is an encrypted token (JWE, five parts); it cannot be decoded without the recipient\'s key. Kubernetes service-account tokens are signed JWTs with three parts.');
  }
  if (parts.length !== 3) {
    throw malformed(`This is not a JWT: expected three base64url parts separated by dots (header.payload.signature), found ${parts.length}.`);
  }
  const header = decodePartJson(parts[0]!, 0);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw malformed(`The header (part 1) must be a JSON object, found ${jsonKind(header)}.`);
  }
  const claims = decodePartJson(parts[1]!, 1);
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw malformed(`The payload (part 2) must be a JSON object, found ${jsonKind(claims)}.`);
  }
  const signature = parts[2]!;
  if (!base64urlPattern.test(signature) || signature.length % 4 === 1) {
    throw malformed('The signature (part 3) is not valid base64url.');
  }
  if (signature === '') {
    notes.push('The token has no signature (an unsecured JWT); nobody vouches for its claims.');
  }
  if (typeof (header as { alg?: unknown }).alg !== 'string') {
    notes.push('The header has no "alg"; the token cannot be verified.');
  }
  // jose is the source of truth for the decode; the checks above only make its failures explainable.
  try {
    return {
      header: decodeProtectedHeader(raw),
      claims: decodeJwt(raw),
      signingInput: `${parts[0]}.${parts[1]}`,
      signature,
      raw,
      notes,
    };
  } catch (cause) {
    throw malformed(`The token could not be decoded: ${cause instanceof Error ? cause.message : String(cause)}.`, cause);
  }
}

/** {@link decodeToken} as a result value: never throws. */
export function tryDecodeToken(input: string): DecodeResult {
  try {
    return { ok: true, token: decodeToken(input) };
  } catch (e) {
    return { ok: false, error: e instanceof TokenError ? e : malformed('The token could not be decoded.', e) };
  }
}
