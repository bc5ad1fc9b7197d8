/**
 * A small YAML emitter for API objects (JSON data: maps, lists, strings, numbers, booleans, null), in
 * kubectl's `-o yaml` layout: two-space maps, list items at the parent key's indentation. Strings that
 * YAML would read as something else are double-quoted; multi-line strings become `|` blocks.
 */
export function toYaml(value: unknown): string {
  const lines: string[] = [];
  emit(value, 0, lines);
  return lines.join('\n') + '\n';
}

function emit(value: unknown, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${pad}[]`);
      return;
    }
    for (const item of value) {
      emitEntry(`${pad}- `, item, indent + 2, lines, true);
    }
    return;
  }
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      lines.push(`${pad}{}`);
      return;
    }
    for (const key of keys) {
      emitEntry(`${pad}${scalar(key)}:`, value[key], indent, lines, false);
    }
    return;
  }
  lines.push(pad + scalar(value));
}

/** `prefix` is `key:` (map entry) or `- ` (list item); `childIndent` is where nested content goes. */
function emitEntry(prefix: string, value: unknown, childIndent: number, lines: string[], listItem: boolean): void {
  const sep = listItem ? '' : ' ';
  if (Array.isArray(value) && value.length > 0) {
    if (listItem) {
      const nested: string[] = [];
      emit(value, childIndent, nested);
      lines.push(prefix + nested[0]!.trimStart(), ...nested.slice(1));
    } else {
      lines.push(prefix);
      emit(value, childIndent, lines); // kubectl style: list items at the key's indentation
    }
    return;
  }
  if (isMap(value) && Object.keys(value).length > 0) {
    if (listItem) {
      const nested: string[] = [];
      emit(value, childIndent, nested);
      lines.push(prefix + nested[0]!.trimStart(), ...nested.slice(1));
    } else {
      lines.push(prefix);
      emit(value, childIndent + 2, lines);
    }
    return;
  }
  if (typeof value === 'string' && value.includes('\n')) {
    const body = value.endsWith('\n') ? value.slice(0, -1) : value;
    const chomp = value.endsWith('\n') ? '' : '-';
    const innerPad = ' '.repeat(listItem ? childIndent : childIndent + 2);
    lines.push(`${prefix}${sep}|${chomp}`, ...body.split('\n').map((l) => (l === '' ? '' : innerPad + l)));
    return;
  }
  const text = Array.isArray(value) ? '[]' : isMap(value) ? '{}' : scalar(value);
  lines.push(prefix + sep + text);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Plain scalars YAML 1.1/1.2 would not read back as the same string.
const reserved = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|\.nan|\.NaN|\.NAN|[-+]?\.(?:inf|Inf|INF))$/;
const numberLike = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\d+(?::[0-5]?\d)+(?:\.\d*)?)$/;

function scalar(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  const s = String(value);
  const needsQuotes =
    s === '' ||
    reserved.test(s) ||
    numberLike.test(s) ||
    /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/.test(s) || // YAML 1.1 timestamps (kubectl quotes them too)
    /^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s) ||
    /\s$/.test(s) ||
    s.includes(': ') ||
    s.includes(' #') ||
    s.endsWith(':') ||
    /[\u0000-\u001f\u007f]/.test(s);
  return needsQuotes ? JSON.stringify(s) : s;
}
