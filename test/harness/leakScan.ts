// Looks for credentials where none may be: files of a VS Code user-data folder (logs, state.vscdb,
// settings, Backups), a workspace, and texts captured from the UI. Pure: no process, no VS Code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One place a credential was found, with an excerpt in which the credential itself is masked. */
export interface LeakHit {
  readonly place: string;
  readonly what: string;
  readonly excerpt: string;
}

export interface LeakScanInput {
  /** Exact tokens issued during the run: each is looked for raw, base64-encoded and by its signature. */
  readonly tokens: readonly string[];
  readonly folders?: readonly { readonly path: string; readonly label: string }[];
  readonly texts?: readonly { readonly place: string; readonly text: string }[];
  /** JWTs the test itself placed on purpose (fixture credentials); any other JWT found is a hit. */
  readonly allowedJwts?: readonly string[];
}

/** Files larger than this are read only up to it (a state database or a log is far smaller). */
const maxFileBytes = 64 * 1024 * 1024;
const excerptChars = 32;

const jwtPattern = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;
// "eyJ" base64-encoded again is "ZXlK": a JWT kept as base64 (a Secret's data.token, a blob).
const base64JwtPattern = /ZXlK[A-Za-z0-9+/_-]{40,}={0,2}/g;

interface Form {
  readonly what: string;
  readonly bytes: Buffer;
}

function formsOf(token: string, index: number): Form[] {
  const name = `issued token #${index + 1}`;
  const forms: Form[] = [
    { what: name, bytes: Buffer.from(token, 'utf8') },
    { what: `${name} (base64)`, bytes: Buffer.from(Buffer.from(token).toString('base64')) },
    { what: `${name} (base64url)`, bytes: Buffer.from(Buffer.from(token).toString('base64url')) },
    // Strings kept as UTF-16 (Chromium's localStorage and IndexedDB values).
    { what: `${name} (UTF-16)`, bytes: Buffer.from(token, 'utf16le') },
  ];
  // A token split at its dots or wrapped still carries its signature whole on one line.
  const signature = token.split('.')[2];
  if (signature !== undefined && signature.length >= 32) {
    forms.push({ what: `${name} (signature segment)`, bytes: Buffer.from(signature) });
  }
  return forms;
}

function isJwt(candidate: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(candidate.split('.')[0]!, 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.');
}

/** The text around a match, the match itself reduced to its first characters. */
function excerpt(haystack: string, at: number, length: number): string {
  const before = haystack.slice(Math.max(0, at - excerptChars), at);
  const after = haystack.slice(at + length, at + length + excerptChars);
  // The context may hold the start of another credential: long runs of token characters are cut too.
  const cut = (text: string) => printable(text).replace(/[A-Za-z0-9+/_=-]{12,}/g, (run) => `${run.slice(0, 6)}…`);
  return `${cut(before)}[${printable(haystack.slice(at, at + 6))}… ${length} chars]${cut(after)}`;
}

function jwtHits(place: string, haystack: string, allowed: ReadonlySet<string>): LeakHit[] {
  const hits: LeakHit[] = [];
  for (const match of haystack.matchAll(jwtPattern)) {
    if (isJwt(match[0]) && !allowed.has(match[0])) {
      hits.push({ place, what: 'a JWT', excerpt: excerpt(haystack, match.index, match[0].length) });
    }
  }
  for (const match of haystack.matchAll(base64JwtPattern)) {
    const decoded = Buffer.from(match[0], 'base64').toString('latin1');
    for (const inner of decoded.matchAll(jwtPattern)) {
      if (isJwt(inner[0]) && !allowed.has(inner[0])) {
        hits.push({ place, what: 'a base64-encoded JWT', excerpt: excerpt(haystack, match.index, match[0].length) });
        break;
      }
    }
  }
  return hits;
}

function scanBytes(place: string, data: Buffer, forms: readonly (readonly Form[])[], allowed: ReadonlySet<string>): LeakHit[] {
  const hits: LeakHit[] = [];
  const latin1 = data.toString('latin1');
  for (const tokenForms of forms) {
    // The first form found is enough: the others (its signature, say) are parts of the same copy.
    for (const form of tokenForms) {
      const at = data.indexOf(form.bytes);
      if (at >= 0) {
        hits.push({ place, what: form.what, excerpt: excerpt(latin1, at, form.bytes.length) });
        break;
      }
    }
  }
  hits.push(...jwtHits(place, latin1, allowed));
  // UTF-16 JWTs of servers whose tokens were not recorded (both byte alignments).
  // The odd alignment is decoded from a fresh copy: Node's UTF-16 decoder can corrupt memory on an unaligned view.
  const shifted = Buffer.alloc(Math.max(0, data.length - 1));
  if (data.length > 1) {
    data.copy(shifted, 0, 1);
  }
  for (const utf16 of [data.toString('utf16le'), shifted.toString('utf16le')]) {
    hits.push(...jwtHits(place, utf16, allowed).map((h) => ({ ...h, what: `${h.what} (UTF-16)` })));
  }
  return hits;
}

function filesUnder(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(path);
      } else if (entry.isFile()) {
        files.push(path);
      }
    }
  };
  visit(root);
  return files;
}

function readPrefix(path: string): Buffer | undefined {
  try {
    const data = readFileSync(path);
    return data.length > maxFileBytes ? data.subarray(0, maxFileBytes) : data;
  } catch {
    return undefined; // gone since it was listed (a lock file, a rotated log)
  }
}

/** Every place in the folders and texts where an issued token, or any JWT not allowed, appears. */
export function scanForLeaks(input: LeakScanInput): LeakHit[] {
  const forms = input.tokens.map(formsOf);
  // Issued tokens are found above in every form; the JWT search is for tokens no one recorded.
  const allowed = new Set([...(input.allowedJwts ?? []), ...input.tokens]);
  const hits: LeakHit[] = [];
  for (const folder of input.folders ?? []) {
    for (const file of filesUnder(folder.path)) {
      const data = statSync(file, { throwIfNoEntry: false }) ? readPrefix(file) : undefined;
      if (data !== undefined) {
        hits.push(...scanBytes(`${folder.label}/${relative(folder.path, file)}`, data, forms, allowed));
      }
    }
  }
  for (const { place, text } of input.texts ?? []) {
    hits.push(...scanBytes(place, Buffer.from(text, 'utf8'), forms, allowed));
  }
  return hits;
}

/** Every JWT in a text (a fixture kubeconfig), so the scan can tell the test's own credentials apart. */
export function jwtsIn(text: string): string[] {
  return [...text.matchAll(jwtPattern)].map((m) => m[0]).filter(isJwt);
}
