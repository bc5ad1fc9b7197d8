import { Buffer } from 'node:buffer';

/**
 * Removes anything that looks like a credential from text bound for logs or error messages.
 * Tokens are bearer credentials: a leaked log line is a leaked identity.
 *
 * Two kinds of rules, tried in order:
 * - shapes that are credentials by construction, redacted wherever they appear: JWTs (also wrapped
 *   over lines or split at a dot), OpenShift `sha256~` tokens, bootstrap-token secrets, PEM private
 *   keys, and base64 whose decoded text holds one of these (a legacy Secret's `data.token`);
 * - opaque values redacted only after a word that names them: `Authorization:`, `Bearer`, `Basic`,
 *   `Cookie:`, `token:`/`password=`-like fields (plain, quoted, JSON-escaped, URL-encoded),
 *   `?access_token=`-like query parameters, `--token` flags, and the password of `user:pass@` URLs.
 *
 * Trade-offs, to keep ordinary text readable:
 * - Random-looking strings without such a word survive: UIDs, resourceVersions, `sha256:` digests,
 *   list continue tokens (base64 of JSON without dots) and certificates look just as random.
 * - After the bare word `token` a value needs 8 characters (`token: none` is prose); names that are
 *   secrets by themselves (`password`, `X-Remote-Token`, `access_token`, `Authorization`) need one.
 * - After `Bearer`/`--token`, a few English words ("bearer token", "the --token flag") are prose.
 * - A token continues on the next line only after a line no longer than wrapping tools make, and
 *   only if that next line holds nothing but the rest of it (up to the line end, a closing quote or
 *   bracket). So the line after a token survives, unless it is a lone word after a wrapped or
 *   dot-split token; and a last wrapped line followed by more text keeps its tail (a signature
 *   fragment, useless alone).
 * - After `token:` an all-letter prose word of 8 or more characters is still taken for a token:
 *   static tokens chosen by people look just like that.
 * - Base64 is decoded only when it is 24 characters or longer: short values (names, namespaces)
 *   cannot hold a token anyway.
 * - A bootstrap token keeps its id (`abcdef.`): the id is public, it names the token's Secret.
 */

export const redactedMarker = '[REDACTED]';

interface RedactionRule {
  readonly name: string;
  /**
   * A global pattern. An optional leading `keep` group (the context, e.g. `token: `) is written back
   * as is; the rest of the match is the secret.
   */
  readonly pattern: RegExp;
  /** For shapes the pattern alone cannot tell apart from ordinary text. */
  readonly isSecret?: (secret: string, depth: number) => boolean;
}

const base64urlChars = 'A-Za-z0-9_-';
const base64Chars = 'A-Za-z0-9+/';
/** A line break inside a wrapped value, real or JSON-escaped (once or more), with the next line's indentation. */
const lineBreak = String.raw`(?:\r?\n|(?:\\{1,8}r)?\\{1,8}n)[ \t]*`;
/** Where a chunk of a wrapped value may end: another line break, a dot, padding, a closing quote or bracket, the end. */
const chunkEnd = String.raw`(?=${lineBreak}|[.=\\"'\`,;&)\]}>]|$)`;
/** Just after an escape (`\n` in JSON, `%22` in a URL), whose last character is not part of what follows. */
const afterEscape = String.raw`(?<=\\[nrt]|%[0-9A-Fa-f]{2})`;
/** Wrapping tools (fold, base64, PEM writers) make lines of 64 to 80 characters. */
const maxWrappedLineLength = 100;

/**
 * A run of `chars` that may go on over following lines, as a tool wraps it: only after a line of at
 * most {@link maxWrappedLineLength} `lineChars`, so a one-line token is not joined to the next line.
 * A continuation line starting with `eyJ` begins another token (a second JWT on its own line).
 */
function wrappedRun(chars: string, minFirstLine: number, lineChars = chars): string {
  const afterShortLine = String.raw`(?<=(?:^|[^${lineChars}])[${lineChars}]{1,${maxWrappedLineLength}})`;
  return String.raw`[${chars}]{${minFirstLine},}(?:${afterShortLine}${lineBreak}(?!eyJ)[${chars}]+${chunkEnd})*`;
}

/** A JWT segment separator; a tool may have wrapped the token just before or just after the dot. */
const jwtDot = String.raw`(?:${lineBreak}\.|\.${lineBreak}(?=[${base64urlChars}]+${chunkEnd})|\.)`;
const jwtLineChars = `.${base64urlChars}`;
const jwtSegment = wrappedRun(base64urlChars, 1, jwtLineChars);
/** `eyJ` is base64url of `{"`, the start of every JWT header. */
const jwtHeader = String.raw`(?:(?<![${base64urlChars}])|${afterEscape})eyJ${wrappedRun(base64urlChars, 2, jwtLineChars)}`;
/** `h.p.`, unsigned: the last dot is not followed by a signature, not even on the next line. */
const unsignedJwtRest = String.raw`${jwtDot}${jwtSegment}\.(?!(?:${lineBreak})?[${base64urlChars}])`;
/** `h.p.s` signed, `h.k.iv.c.t` encrypted (parts may be empty), or `h.p` cut short by truncation. */
const jwtRest = String.raw`(?:${jwtDot}(?:${jwtSegment})?){0,3}${jwtDot}${jwtSegment}`;
/** At least one dot: a bare base64url JSON without one (a list continue token) is not a credential. */
const jwt = `${jwtHeader}(?:${unsignedJwtRest}|${jwtRest})`;

function decodeBase64(text: string): string {
  // Node's decoder reads both alphabets and stops at the padding; line breaks are removed first.
  return Buffer.from(text.replace(/\\{1,8}[rn]|\s/g, ''), 'base64').toString('utf8');
}

/** Decoding is limited to two levels (base64 of a kubeconfig holding base64 of a key). */
const maxDecodeDepth = 2;

/** Words that follow `Bearer` or `--token` in prose rather than a credential. */
const proseAfterCredentialWord = /^(?:tokens?|auth|authentication|authorization|credentials?|scheme|header|prefix|realm|type|value|string|flag|option|command|is|was|and|or|the|a|an|for|with|not|only)\b/i;

/** Not inside a longer word; an escape just before (`\n`, `%20`) does not count as part of it. */
const wordStart = String.raw`(?:(?<![\w-])|${afterEscape})`;
/** An optional quote around a key or value, possibly JSON-escaped (`\"`, `\\\"`) or URL-encoded (`%22`). */
const quote = String.raw`(?:\\{0,8}["']|%2[27])?`;
const separator = String.raw`\s*(?:[:=]|%3[ad])\s*`;
/** The start of `key: value`, `"key":"value"`, `key=value`, `key%3Dvalue` and JSON-escaped forms. */
function fieldStart(keyNames: string, valueQuote = quote): string {
  return String.raw`${wordStart}${quote}(?:${keyNames})${quote}${separator}${valueQuote}`;
}
const requiredQuote = String.raw`\\{0,8}["']`;
const notRedacted = `(?!${redactedMarker.replace(/[[\]]/g, '\\$&')})`;
/** A bare value: up to whitespace, a quote, an escape, a list or parameter separator, a bracket. */
const valueChar = String.raw`[^\s"'\`\\,;&()[\]{}<>]`;
function fieldValue(minLength: number): string {
  return String.raw`${notRedacted}${valueChar}{${minLength},}`;
}

/** Field names whose value is a secret whatever it looks like. Name parts are bounded, which keeps matching linear. */
const credentialKeys = [
  String.raw`password|passwd|passphrase`,
  String.raw`(?:access|id|refresh|bearer|session|private|bootstrap)[-_]?token`,
  String.raw`[\w.]{1,40}[-_]?secret`, // client-secret, clientSecret, token-secret; not the bare word "secret"
  String.raw`client[-_]?key[-_]?data|private[-_]?key|api[-_]?key`,
  String.raw`x-[\w-]{0,40}(?:token|secret|password|key|auth\w{0,20}|credentials?)`, // X-Remote-Token, X-Auth-Token, X-Api-Key
].join('|');

const authScheme = String.raw`(?:bearer|basic|digest|negotiate|token)(?:\s+|%20|\+)`;
const privateKeyLabel = String.raw`(?:[A-Z0-9]+ )*PRIVATE KEY`;

const rules: readonly RedactionRule[] = [
  {
    name: 'PEM private key',
    pattern: new RegExp(String.raw`-----BEGIN ${privateKeyLabel}-----[\s\S]*?(?:-----END ${privateKeyLabel}-----|$)`, 'g'),
  },
  { name: 'JWT', pattern: new RegExp(jwt, 'g') },
  {
    name: 'OpenShift sha256~ token',
    pattern: new RegExp(String.raw`(?<keep>sha256~)[${base64urlChars}]{16,}`, 'g'),
  },
  {
    // `[a-z0-9]{6}.[a-z0-9]{16}`; not inside a longer dotted name (a host name with more labels).
    name: 'bootstrap token',
    pattern: new RegExp(String.raw`(?:(?<![\w.-])|${afterEscape})(?<keep>[a-z0-9]{6}\.)[a-z0-9]{16}(?![\w.-])`, 'g'),
  },
  {
    name: 'base64 of a credential',
    pattern: new RegExp(String.raw`(?:(?<![${base64Chars}_\\-])|${afterEscape})${wrappedRun(`${base64Chars}_-`, 16)}={0,2}`, 'g'),
    isSecret: (secret, depth) => {
      if (depth >= maxDecodeDepth || secret.replace(/\\{1,8}[rn]|\s/g, '').length < 24) {
        return false;
      }
      const decoded = decodeBase64(secret);
      return redactText(decoded, depth + 1) !== decoded;
    },
  },
  {
    name: 'password in a URL',
    pattern: /(?<keep>\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/?#@:]*:)[^\s/?#@]+(?=@)/gi,
  },
  {
    // Any value, even a short one. The scheme word is kept; it is never taken for the credential.
    name: 'Authorization header',
    pattern: new RegExp(String.raw`(?<keep>${fieldStart('(?:proxy-)?authorization')}(?:${authScheme}|(?!${authScheme})))${fieldValue(1)}`, 'gi'),
  },
  {
    name: 'Cookie header',
    pattern: new RegExp(String.raw`(?<keep>${fieldStart('(?:set-)?cookie')})${notRedacted}[^\s"'\`\\][^"'\`\\\r\n]*`, 'gi'),
  },
  {
    name: 'Bearer credential',
    pattern: new RegExp(String.raw`(?<keep>${wordStart}bearer(?:\s+|%20|\+))${notRedacted}[A-Za-z0-9._~+/=%-]+`, 'gi'),
    isSecret: (secret) => !proseAfterCredentialWord.test(secret),
  },
  {
    // Basic credentials are base64 of `user:password`; "Basic auth" is prose.
    name: 'Basic credential',
    pattern: new RegExp(String.raw`(?<keep>${wordStart}basic(?:\s+|%20|\+))[${base64Chars}]{4,}={0,2}`, 'gi'),
    isSecret: (secret) => decodeBase64(secret).includes(':'),
  },
  {
    // A quoted password may hold spaces: all of it, up to the closing quote.
    name: 'quoted credential field',
    pattern: new RegExp(String.raw`(?<keep>${fieldStart(credentialKeys, requiredQuote)})${notRedacted}[^"'\`\\\r\n]+(?=${requiredQuote})`, 'gi'),
  },
  { name: 'credential field', pattern: new RegExp(String.raw`(?<keep>${fieldStart(credentialKeys)})${fieldValue(1)}`, 'gi') },
  {
    name: 'credential query or cookie parameter',
    pattern: new RegExp(String.raw`(?<keep>(?:[?&#]|;\s*)(?:[\w.-]{0,40}token|password|[\w.]{1,40}[-_]?secret|api[-_]?key|sig|signature)=)${fieldValue(1)}`, 'gi'),
  },
  { name: 'token field', pattern: new RegExp(String.raw`(?<keep>${fieldStart(String.raw`[\w.-]{0,40}token`)})${fieldValue(8)}`, 'gi') },
  {
    name: 'credential flag',
    pattern: new RegExp(String.raw`(?<keep>${wordStart}--(?:token|password|client-secret)(?:=|\s+)${quote})${notRedacted}(?!-)${valueChar}+`, 'g'),
    isSecret: (secret) => !proseAfterCredentialWord.test(secret),
  },
];

function redactText(text: string, depth: number): string {
  let result = text;
  for (const rule of rules) {
    result = result.replace(rule.pattern, (...args: unknown[]) => {
      // Arguments: the match, the groups by number, its offset, the whole text, then named groups if any.
      const hasNamedGroups = typeof args[args.length - 1] === 'object';
      const named = hasNamedGroups ? args[args.length - 1] as { keep?: string } : {};
      const whole = args[args.length - (hasNamedGroups ? 2 : 1)] as string;
      const offset = args[args.length - (hasNamedGroups ? 3 : 2)] as number;
      const match = args[0] as string;
      const keep = named.keep ?? '';
      const secret = match.slice(keep.length);
      // A value running into an earlier rule's marker (`sha256~[REDACTED]`) was already dealt with.
      const alreadyRedacted = whole.startsWith(redactedMarker, offset + match.length);
      return !alreadyRedacted && (rule.isSecret === undefined || rule.isSecret(secret, depth)) ? keep + redactedMarker : match;
    });
  }
  return result;
}

export function redact(text: string): string {
  return redactText(text, 0);
}

/** Keys of structured data (headers, kubeconfig users, JSON bodies) whose string value is always a secret. */
const credentialKeyName = new RegExp(String.raw`^(?:(?:proxy-)?authorization|(?:set-)?cookie|[\w.-]{0,40}token|${credentialKeys})$`, 'i');

/**
 * A copy of `value` with every string redacted, and every string under a credential key (`token`,
 * `password`, `Authorization`...) replaced whole. Walks arrays, plain objects and Errors (message,
 * stack, cause and own properties); returns `value` itself when nothing needed redacting. Other
 * objects (class instances, buffers) are returned as they are: nothing here prints them.
 */
export function redactValue<T>(value: T): T {
  return redactWithin(value, new Set()) as T;
}

function redactWithin(value: unknown, path: Set<object>): unknown {
  if (typeof value === 'string') {
    return redact(value);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (path.has(value)) {
    return '[Circular]';
  }
  const isError = value instanceof Error;
  const isPlain = Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null;
  if (!isError && !isPlain) {
    return value;
  }
  path.add(value);
  try {
    return isError ? redactError(value, path) : redactEntries(value, path);
  } finally {
    path.delete(value);
  }
}

function redactEntry(key: string, value: unknown, path: Set<object>): unknown {
  return typeof value === 'string' && value !== '' && credentialKeyName.test(key) ? redactedMarker : redactWithin(value, path);
}

function redactEntries(value: object, path: Set<object>): unknown {
  let changed = false;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  for (const [key, entry] of Object.entries(value)) {
    const redacted = redactEntry(key, entry, path);
    changed ||= redacted !== entry;
    (copy as Record<string, unknown>)[key] = redacted;
  }
  return changed ? copy : value;
}

function redactError(error: Error, path: Set<object>): Error {
  const fields: Record<string, unknown> = { message: error.message, stack: error.stack };
  if ('cause' in error) {
    fields.cause = error.cause;
  }
  for (const [key, entry] of Object.entries(error)) {
    fields[key] = entry;
  }
  let changed = false;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const [key, entry] of Object.entries(fields)) {
    const redacted = redactEntry(key, entry, path);
    changed ||= redacted !== entry;
    // Like Error's own fields: message, stack and cause are not enumerable, the rest is as it was.
    const enumerable = Object.prototype.propertyIsEnumerable.call(error, key);
    Object.defineProperty(copy, key, { value: redacted, writable: true, configurable: true, enumerable });
  }
  return changed ? copy : error;
}
