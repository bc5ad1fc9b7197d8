// Shared helpers for the sandbox conformance tests: an HTTPS client and a kubectl runner.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TestCluster } from './clusters';

/** What a request needs of a server. */
export type Server = Pick<TestCluster, 'url' | 'caPem' | 'adminToken' | 'dataDir' | 'kubeconfigPath'>;

/** The only Accept kube-apiserver serves /openid/v1/jwks for (406 to `application/json` alone). */
export const jwkSet = { Accept: 'application/jwk-set+json' } as const;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  /** Use the admin client certificate from the sandbox data dir instead of a token. */
  cert?: boolean;
  headers?: Record<string, string>;
}

export function call(sb: Server, path: string, o: CallOptions = {}): Promise<Reply> {
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = { Accept: 'application/json', ...(o.headers ?? {}) };
  const token = o.token === undefined && !o.cert ? sb.adminToken : o.token;
  if (token) {headers.Authorization = `Bearer ${token}`;}
  if (body !== undefined) {headers['Content-Type'] ??= 'application/json';}
  return new Promise((resolve, reject) => {
    const req = request(
      `${sb.url}${path}`,
      {
        method: o.method ?? (body === undefined ? 'GET' : 'POST'),
        ca: sb.caPem,
        headers,
        cert: o.cert ? readFileSync(join(sb.dataDir, 'admin.crt')) : undefined,
        key: o.cert ? readFileSync(join(sb.dataDir, 'admin.key')) : undefined,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) {req.write(body);}
    req.end();
  });
}

export function tokenRequestPath(ns: string, name: string, query = ''): string {
  return `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token${query}`;
}

export function decodeJwt(token: string): { header: any; payload: any; payloadText: string } {
  const [h, p] = token.split('.');
  const payloadText = Buffer.from(p, 'base64url').toString('utf8');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')), payload: JSON.parse(payloadText), payloadText };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(bin: string, sb: Server, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      bin,
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: sb.dataDir, KUBECONFIG: sb.kubeconfigPath, KUBECACHEDIR: join(sb.dataDir, 'kubecache') }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (input !== undefined) {
      child.stdin?.write(input);
      child.stdin?.end();
    }
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asserts the exact Status body (key order included) the real API server returns. */
export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>, metadata: Record<string, unknown> = {}): string {
  const body: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason };
  if (details) {body.details = details;}
  body.code = code;
  return JSON.stringify(body);
}
