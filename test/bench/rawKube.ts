import * as https from 'node:https';

/** The floor for cluster rows: node:https with one keep-alive agent, the admin bearer token, JSON.parse. */
export class RawKube {
  private readonly _agent: https.Agent;
  private readonly _url: URL;

  constructor(
    url: string,
    private readonly _caPem: string,
    private readonly _token: string,
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
          headers: {
            authorization: `Bearer ${this._token}`,
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
