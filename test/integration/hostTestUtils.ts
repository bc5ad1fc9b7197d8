import * as https from 'node:https';
import { readSandboxEnv, type SandboxInfo } from '../harness/sandboxEnv';
import { holdsFor, waitFor } from '../harness/waitFor';
export { holdsFor, waitFor };

/** Shared by every integration suite: the harness's sandbox, admin calls to it, and polling without sleeps. */

export function sandbox(): SandboxInfo {
  return readSandboxEnv();
}

/** A request to the sandbox as the admin (test setup and the sandbox's control endpoints). */
export function adminRequest(method: string, urlPath: string, body?: unknown, info: SandboxInfo = sandbox()): Promise<{ status: number; body: unknown }> {
  const url = new URL(urlPath, info.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = {
      authorization: `Bearer ${info.adminToken}`,
      accept: 'application/json',
      ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
    };
    const req = https.request(url, { method, ca: info.caPem, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
