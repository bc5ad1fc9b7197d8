// X.509 material for the sandbox: a CA, the serving certificate and client certificates.
// Built with node:crypto and a tiny DER encoder (no openssl CLI, no npm dependency).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { bitString, bool, explicit, integer, octets, oid, seq, set, time, tlv, utf8 } from './der';

export interface CertKey {
  certPem: string;
  keyPem: string;
}

interface Issuer {
  name: Buffer;
  key: KeyObject;
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function distinguishedName(cn: string, orgs: string[]): Buffer {
  const rdns = orgs.map((o) => set(seq(oid('2.5.4.10'), utf8(o))));
  rdns.push(set(seq(oid('2.5.4.3'), utf8(cn))));
  return seq(...rdns);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function buildCert(opts: {
  subject: Buffer;
  issuer?: Issuer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  ca: boolean;
  extKeyUsage: string[];
  dnsNames?: string[];
  ips?: string[];
}): Buffer {
  const now = Date.now();
  const spki = opts.publicKey.export({ type: 'spki', format: 'der' });
  const ski = createHash('sha1').update(spki).digest();
  const exts: Buffer[] = [
    extension('2.5.29.19', true, opts.ca ? seq(bool(true)) : seq()),
    // keyUsage: CA = digitalSignature|keyCertSign|cRLSign, leaf = digitalSignature
    extension('2.5.29.15', true, opts.ca ? bitString(Buffer.from([0x86]), 1) : bitString(Buffer.from([0x80]), 7)),
    extension('2.5.29.14', false, octets(ski)),
  ];
  if (opts.extKeyUsage.length) {exts.push(extension('2.5.29.37', false, seq(...opts.extKeyUsage.map(oid))));}
  if (opts.dnsNames?.length || opts.ips?.length) {
    const names = [
      ...(opts.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
      ...(opts.ips ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
    ];
    exts.push(extension('2.5.29.17', false, seq(...names)));
  }
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const sigAlg = seq(oid(ECDSA_SHA256));
  const tbs = seq(
    explicit(0, integer(2)),
    integer(serial),
    sigAlg,
    opts.issuer?.name ?? opts.subject,
    seq(time(new Date(now - 3600_000)), time(new Date(now + 10 * 365 * 86400_000))),
    opts.subject,
    spki,
    tlv(0xa3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, opts.signingKey);
  return seq(tbs, sigAlg, bitString(signature));
}

function ecKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export class CertAuthority {
  readonly certPem: string;
  private readonly _issuer: Issuer;

  constructor(commonName = 'sandbox-ca') {
    const { publicKey, privateKey } = ecKeyPair();
    const name = distinguishedName(commonName, []);
    this._issuer = { name, key: privateKey };
    this.certPem = toPem('CERTIFICATE', buildCert({ subject: name, publicKey, signingKey: privateKey, ca: true, extKeyUsage: [] }));
  }

  serverCert(dnsNames: string[], ips: string[]): CertKey {
    return this._leaf('sandbox-apiserver', [], ['1.3.6.1.5.5.7.3.1'], dnsNames, ips);
  }

  clientCert(user: string, groups: string[]): CertKey {
    return this._leaf(user, groups, ['1.3.6.1.5.5.7.3.2']);
  }

  private _leaf(cn: string, orgs: string[], eku: string[], dnsNames?: string[], ips?: string[]): CertKey {
    const { publicKey, privateKey } = ecKeyPair();
    const der = buildCert({
      subject: distinguishedName(cn, orgs),
      issuer: this._issuer,
      publicKey,
      signingKey: this._issuer.key,
      ca: false,
      extKeyUsage: eku,
      dnsNames,
      ips,
    });
    return { certPem: toPem('CERTIFICATE', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
  }
}
