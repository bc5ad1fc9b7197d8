import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import { load } from 'js-yaml';
import type { SandboxInfo } from '../harness/sandboxEnv';

/** What the kubeconfig's current context authenticates with, as node:https takes it. */
export type RawCredential = { readonly token: string } | { readonly cert: string; readonly key: string };

/**
 * The current context's user from the cluster's kubeconfig: the peer sends the same credentials as the
 * kube layer, so the server does the same work for both (a client certificate costs the server more
 * per request than a static token, and a cheaper peer request would be charged to our layer).
 */
export function kubeconfigCredential(kubeconfigPath: string): RawCredential {
  type Named<T> = { name: string } & T;
  const config = load(readFileSync(kubeconfigPath, 'utf8')) as {
    'current-context': string;
    contexts: Named<{ context: { user: string } }>[];
    users: Named<{ user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }>[];
  };
  const context = config.contexts.find((c) => c.name === config['current-context']);
  const user = config.users.find((u) => u.name === context?.context.user)?.user;
  if (user?.token !== undefined) {
    return { token: user.token };
  }
  if (user?.['client-certificate-data'] !== undefined && user['client-key-data'] !== undefined) {
    const pem = (data: string) => Buffer.from(data, 'base64').toString('utf8');
    return { cert: pem(user['client-certificate-data']), key: pem(user['client-key-data']) };
  }
  throw new Error(`${kubeconfigPath}: the current context's user has neither a token nor inline client certificate data`);
}

/** The floor for cluster rows: node:https with one keep-alive agent, the kubeconfig's credentials, JSON.parse. */
export class RawKube {
  private readonly _agent: https.Agent;
  private readonly _url: URL;

  /** Raw HTTPS to the cluster as its kubeconfig's current context (see kubeconfigCredential). */
  static of(cluster: Pick<SandboxInfo, 'url' | 'caPem' | 'kubeconfigPath'>): RawKube {
    return new RawKube(cluster.url, cluster.caPem, kubeconfigCredential(cluster.kubeconfigPath));
  }

  constructor(
    url: string,
    private readonly _caPem: string,
    private readonly _credential: RawCredential,
  ) {
    this._url = new URL(url);
    this._agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  }

  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          method,
          host: this._url.hostname,
          port: this._url.port,
          path,
          agent: this._agent,
          ca: this._caPem,
          ...('token' in this._credential ? {} : { cert: this._credential.cert, key: this._credential.key }),
          headers: {
            ...('token' in this._credential ? { authorization: `Bearer ${this._credential.token}` } : {}),
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> });
            } catch (e) {
              reject(new Error(`${method} ${path}: ${res.statusCode} non-JSON answer: ${text.slice(0, 200)} (${String(e)})`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async get(path: string): Promise<Record<string, unknown>> {
    const { status, json } = await this.request('GET', path);
    if (status !== 200) {
      throw new Error(`GET ${path}: ${status} ${JSON.stringify(json).slice(0, 300)}`);
    }
    return json;
  }

  /** Every item of a list, page by page (limit=500, like kubectl's chunk size). */
  async listAll(path: string, onPage: (items: Record<string, unknown>[]) => void): Promise<void> {
    let cont: string | undefined;
    do {
      const page = await this.get(`${path}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      onPage((page.items as Record<string, unknown>[] | null) ?? []);
      cont = (page.metadata as { continue?: string } | undefined)?.continue || undefined;
    } while (cont !== undefined);
  }

  dispose(): void {
    this._agent.destroy();
  }
}
