import { request } from 'node:https';
import { readSandboxEnv } from '../harness/sandboxEnv';

/** Sandbox admin calls for the inspector tests; no vscode import, so the Chromium e2e check uses it too. */

/** A call to the sandbox API server as cluster admin (never through the extension). */
export async function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const env = readSandboxEnv();
  const url = new URL(path, env.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      ca: env.caPem,
      headers: { authorization: `Bearer ${env.adminToken}`, accept: 'application/json', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: (text === '' ? {} : JSON.parse(text)) as T });
        } catch {
          reject(new Error(`${method} ${path}: ${res.statusCode} non-JSON response`));
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Mints a token with the TokenRequest API as admin. */
export async function mintToken(namespace: string, sa: string, spec: Record<string, unknown> = {}): Promise<string> {
  const res = await admin<{ status?: { token?: string }; message?: string }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec,
  });
  if (res.status !== 201 || typeof res.body.status?.token !== 'string') {
    throw new Error(`TokenRequest failed: ${res.status} ${res.body.message ?? ''}`);
  }
  return res.body.status.token;
}

export async function sandboxInfo(): Promise<{ signingKid: string; kids: string[] }> {
  return (await admin<{ signingKid: string; kids: string[] }>('GET', '/sandbox/v1/info')).body;
}

