// Decodes the Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown) for the few request kinds that
// kubectl's typed clients POST as application/vnd.kubernetes.protobuf, into the JSON the same Go
// struct would marshal to (so handlers and recorded requests see one shape).

type FieldType = 'string' | 'int64' | 'bool' | 'message' | 'time' | 'map';

interface Field {
  json: string;
  no: number;
  type: FieldType;
  repeated?: boolean;
  /** Go `omitempty`: zero values are left out of the JSON. */
  omitempty?: boolean;
  /** Go pointer: absent = null (or omitted with omitempty). */
  pointer?: boolean;
  msg?: Field[];
}

const f = (json: string, no: number, type: FieldType, extra: Partial<Field> = {}): Field => ({ json, no, type, ...extra });

const OBJECT_META: Field[] = [
  f('name', 1, 'string', { omitempty: true }),
  f('generateName', 2, 'string', { omitempty: true }),
  f('namespace', 3, 'string', { omitempty: true }),
  f('selfLink', 4, 'string', { omitempty: true }),
  f('uid', 5, 'string', { omitempty: true }),
  f('resourceVersion', 6, 'string', { omitempty: true }),
  f('generation', 7, 'int64', { omitempty: true }),
  // omitzero since the 1.34 types: a zero time is left out, not null.
  f('creationTimestamp', 8, 'time', { omitempty: true }),
  f('deletionTimestamp', 9, 'time', { omitempty: true, pointer: true }),
  f('deletionGracePeriodSeconds', 10, 'int64', { omitempty: true, pointer: true }),
  f('labels', 11, 'map', { omitempty: true }),
  f('annotations', 12, 'map', { omitempty: true }),
  f('finalizers', 14, 'string', { omitempty: true, repeated: true }),
];

const USER_INFO: Field[] = [
  f('username', 1, 'string', { omitempty: true }),
  f('uid', 2, 'string', { omitempty: true }),
  f('groups', 3, 'string', { omitempty: true, repeated: true }),
];

const SCHEMAS: Record<string, Field[]> = {
  TokenRequest: [
    f('metadata', 1, 'message', { omitempty: true, msg: OBJECT_META }),
    f('spec', 2, 'message', {
      msg: [
        f('audiences', 1, 'string', { repeated: true }),
        f('expirationSeconds', 4, 'int64', { pointer: true }),
        f('boundObjectRef', 3, 'message', {
          pointer: true,
          msg: [f('kind', 1, 'string', { omitempty: true }), f('apiVersion', 2, 'string', { omitempty: true }), f('name', 3, 'string', { omitempty: true }), f('uid', 4, 'string', { omitempty: true })],
        }),
      ],
    }),
    f('status', 3, 'message', { omitempty: true, msg: [f('token', 1, 'string'), f('expirationTimestamp', 2, 'time')] }),
  ],
  TokenReview: [
    f('metadata', 1, 'message', { omitempty: true, msg: OBJECT_META }),
    f('spec', 2, 'message', { msg: [f('token', 1, 'string', { omitempty: true }), f('audiences', 2, 'string', { omitempty: true, repeated: true })] }),
    f('status', 3, 'message', { omitempty: true, msg: [f('authenticated', 1, 'bool', { omitempty: true }), f('user', 2, 'message', { omitempty: true, msg: USER_INFO })] }),
  ],
  SelfSubjectReview: [
    f('metadata', 1, 'message', { omitempty: true, msg: OBJECT_META }),
    f('status', 2, 'message', { omitempty: true, msg: [f('userInfo', 1, 'message', { omitempty: true, msg: USER_INFO })] }),
  ],
  SelfSubjectRulesReview: [
    f('metadata', 1, 'message', { omitempty: true, msg: OBJECT_META }),
    f('spec', 2, 'message', { msg: [f('namespace', 1, 'string', { omitempty: true })] }),
    f('status', 3, 'message', {
      omitempty: true,
      msg: [f('resourceRules', 1, 'message', { repeated: true, msg: [] }), f('nonResourceRules', 2, 'message', { repeated: true, msg: [] }), f('incomplete', 3, 'bool'), f('evaluationError', 4, 'string', { omitempty: true })],
    }),
  ],
  SelfSubjectAccessReview: [
    f('metadata', 1, 'message', { omitempty: true, msg: OBJECT_META }),
    f('spec', 2, 'message', {
      msg: [
        f('resourceAttributes', 1, 'message', {
          omitempty: true,
          pointer: true,
          msg: ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'].map((n, i) => f(n, i + 1, 'string', { omitempty: true })),
        }),
        f('nonResourceAttributes', 2, 'message', { omitempty: true, pointer: true, msg: [f('path', 1, 'string', { omitempty: true }), f('verb', 2, 'string', { omitempty: true })] }),
      ],
    }),
    f('status', 3, 'message', { omitempty: true, msg: [f('allowed', 1, 'bool'), f('denied', 4, 'bool', { omitempty: true }), f('reason', 2, 'string', { omitempty: true }), f('evaluationError', 3, 'string', { omitempty: true })] }),
  ],
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) {throw new Error('truncated varint');}
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) {return result;}
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) {this.varint();}
    else if (wire === 1) {this.pos += 8;}
    else if (wire === 2) {this.bytes();}
    else if (wire === 5) {this.pos += 4;}
    else {throw new Error(`unsupported wire type ${wire}`);}
  }
}

function rawFields(buf: Buffer): Map<number, (bigint | Buffer)[]> {
  const r = new Reader(buf);
  const out = new Map<number, (bigint | Buffer)[]>();
  while (!r.done()) {
    const tag = Number(r.varint());
    const no = tag >> 3;
    const wire = tag & 7;
    let v: bigint | Buffer;
    if (wire === 0) {v = r.varint();}
    else if (wire === 2) {v = r.bytes();}
    else {
      r.skip(wire);
      continue;
    }
    if (!out.has(no)) {out.set(no, []);}
    out.get(no)!.push(v);
  }
  return out;
}

function decodeTime(b: Buffer): string | null {
  const m = rawFields(b);
  const secs = Number((m.get(1)?.[0] as bigint | undefined) ?? 0n);
  if (!secs) {return null;}
  return new Date(secs * 1000).toISOString().replace('.000Z', 'Z');
}

function decodeMessage(buf: Buffer, schema: Field[]): Record<string, unknown> {
  const raw = rawFields(buf);
  const out: Record<string, unknown> = {};
  for (const fd of schema) {
    const vals = raw.get(fd.no);
    const present = !!vals?.length;
    let v: unknown;
    if (fd.type === 'map') {
      const obj: Record<string, string> = {};
      for (const e of (vals ?? []) as Buffer[]) {
        const m = rawFields(e);
        obj[((m.get(1)?.[0] as Buffer) ?? Buffer.alloc(0)).toString()] = ((m.get(2)?.[0] as Buffer) ?? Buffer.alloc(0)).toString();
      }
      v = present ? obj : null;
    } else if (fd.repeated) {
      v = present ? (vals as Buffer[]).map((b) => (fd.type === 'message' ? decodeMessage(b, fd.msg ?? []) : b.toString('utf8'))) : null;
    } else if (!present) {
      v = fd.pointer ? null : fd.type === 'string' ? '' : fd.type === 'int64' ? 0 : fd.type === 'bool' ? false : fd.type === 'time' ? null : decodeMessage(Buffer.alloc(0), fd.msg ?? []);
    } else {
      const last = vals![vals!.length - 1];
      if (fd.type === 'string') {v = (last as Buffer).toString('utf8');}
      else if (fd.type === 'int64') {v = Number(BigInt.asIntN(64, last as bigint));}
      else if (fd.type === 'bool') {v = (last as bigint) !== 0n;}
      else if (fd.type === 'time') {v = decodeTime(last as Buffer);}
      else {v = decodeMessage(last as Buffer, fd.msg ?? []);}
    }
    const zero = v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && !v.length) || (typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.keys(v).length && fd.type === 'map');
    if (fd.omitempty && zero && fd.type !== 'message') {continue;}
    if (fd.omitempty && fd.pointer && v === null) {continue;}
    out[fd.json] = v;
  }
  return out;
}

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Returns the JSON-equivalent object, or throws on malformed input or an unsupported kind. */
export function decodeK8sProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') {throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');}
  const unknown = rawFields(body.subarray(4));
  const typeMeta = rawFields((unknown.get(1)?.[0] as Buffer) ?? Buffer.alloc(0));
  const apiVersion = ((typeMeta.get(1)?.[0] as Buffer) ?? Buffer.alloc(0)).toString();
  const kind = ((typeMeta.get(2)?.[0] as Buffer) ?? Buffer.alloc(0)).toString();
  const raw = (unknown.get(2)?.[0] as Buffer) ?? Buffer.alloc(0);
  const schema = SCHEMAS[kind];
  if (!schema) {throw new Error(`sandbox: protobuf decoding of ${apiVersion}, Kind=${kind} is not supported`);}
  return { kind, apiVersion, ...decodeMessage(raw, schema) };
}
