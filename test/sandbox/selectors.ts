// labelSelector / fieldSelector parsing and matching (subset of k8s.io/apimachinery labels + fields).
import { badRequest } from './status';
import type { KObject, Resource } from './store';

type LabelReq =
  | { op: '=' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!'; key: string };

export function parseLabelSelector(sel: string): LabelReq[] {
  const reqs: LabelReq[] = [];
  // split on commas that are not inside parentheses
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') {depth++;}
    if (ch === ')') {depth--;}
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else {cur += ch;}
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) {continue;}
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      reqs.push({ op: m[2] as 'in' | 'notin', key: m[1], values: m[3].split(',').map((v) => v.trim()) });
    } else if ((m = p.match(/^([^\s!=]+)\s*(==|=|!=)\s*([^\s!=]*)$/))) {
      reqs.push({ op: m[2] === '!=' ? '!=' : '=', key: m[1], value: m[3] });
    } else if ((m = p.match(/^!\s*([^\s!=]+)$/))) {
      reqs.push({ op: '!', key: m[1] });
    } else if ((m = p.match(/^([^\s!=()]+)$/))) {
      reqs.push({ op: 'exists', key: m[1] });
    } else {
      throw badRequest(`unable to parse requirement: found '${p}', expected: identifier`);
    }
  }
  return reqs;
}

export function matchLabels(reqs: LabelReq[], labels: Record<string, string> = {}): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case '=':
        return has && labels[r.key] === r.value;
      case '!=':
        return !has || labels[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

interface FieldReq {
  field: string;
  value: string;
  negate: boolean;
}

const FIELDS: Record<Resource, Record<string, (o: KObject) => string>> = {
  namespaces: { 'status.phase': (o) => String((o.status as { phase?: string })?.phase ?? '') },
  nodes: { 'spec.unschedulable': (o) => String(Boolean((o.spec as { unschedulable?: boolean })?.unschedulable)) },
  serviceaccounts: {},
  pods: {
    'spec.nodeName': (o) => String((o.spec as { nodeName?: string })?.nodeName ?? ''),
    'spec.serviceAccountName': (o) => String((o.spec as { serviceAccountName?: string })?.serviceAccountName ?? ''),
    'status.phase': (o) => String((o.status as { phase?: string })?.phase ?? ''),
  },
  secrets: { type: (o) => String(o.type ?? '') },
  roles: {},
  clusterroles: {},
  rolebindings: {},
  clusterrolebindings: {},
};

export function parseFieldSelector(resource: Resource, sel: string): FieldReq[] {
  const reqs: FieldReq[] = [];
  for (const raw of sel.split(',')) {
    const p = raw.trim();
    if (!p) {continue;}
    const m = p.match(/^([^!=]+)(==|=|!=)(.*)$/);
    if (!m) {throw badRequest(`invalid selector: '${sel}'; can't understand '${p}'`);}
    const field = m[1].trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !(field in FIELDS[resource])) {
      const known = ['metadata.name', 'metadata.namespace', ...Object.keys(FIELDS[resource])].map((f) => JSON.stringify(f)).join(', ');
      throw badRequest(`${JSON.stringify(field)} is not a known field selector: only ${known}`);
    }
    reqs.push({ field, value: m[3].trim(), negate: m[2] === '!=' });
  }
  return reqs;
}

export function matchFields(resource: Resource, reqs: FieldReq[], o: KObject): boolean {
  return reqs.every((r) => {
    let v: string;
    if (r.field === 'metadata.name') {v = o.metadata.name;}
    else if (r.field === 'metadata.namespace') {v = o.metadata.namespace ?? '';}
    else {v = FIELDS[resource][r.field](o);}
    return r.negate ? v !== r.value : v === r.value;
  });
}
