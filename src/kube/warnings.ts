/**
 * Parses HTTP `Warning` headers (RFC 7234 §5.5) the way client-go's `ParseWarningHeaders` does.
 * The API server sends `Warning: 299 - "<text>"`, one header per warning; Node joins repeated
 * headers with ", ", and a single header may legally carry several comma-separated warnings,
 * so parsing is by grammar, not by splitting on commas.
 */

export interface WarningHeader {
  readonly code: number;
  readonly agent: string;
  readonly text: string;
}

/** All warnings in the given header values (raw or comma-joined). Malformed entries are skipped. */
export function parseWarningHeaders(values: readonly string[]): WarningHeader[] {
  const out: WarningHeader[] = [];
  for (const value of values) {
    let rest = value;
    for (;;) {
      rest = rest.replace(/^[\s,]+/, '');
      if (rest === '') {break;}
      const m = /^(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"(?:[^"\\]|\\.)*")?\s*/.exec(rest);
      if (m === null) {
        // Skip to the next comma outside quotes; give up on this value if there is none.
        const next = nextComma(rest);
        if (next < 0) {break;}
        rest = rest.slice(next + 1);
        continue;
      }
      out.push({ code: Number(m[1]), agent: m[2], text: m[3].replace(/\\(.)/g, '$1') });
      rest = rest.slice(m[0].length);
    }
  }
  return out;
}

/** The texts of the 299 ("miscellaneous persistent warning") headers: what Kubernetes uses. */
export function warningTexts(values: readonly string[]): string[] {
  return parseWarningHeaders(values)
    .filter((w) => w.code === 299)
    .map((w) => w.text);
}

/** Header values named `warning` from Node's `rawHeaders` (keeps repeated headers apart). */
export function warningHeaderValues(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'warning') {out.push(rawHeaders[i + 1]);}
  }
  return out;
}

function nextComma(s: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && quoted) {i++;}
    else if (c === '"') {quoted = !quoted;}
    else if (c === ',' && !quoted) {return i;}
  }
  return -1;
}
