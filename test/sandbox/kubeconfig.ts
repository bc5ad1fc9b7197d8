// Writes the sandbox kubeconfig (JSON is valid YAML) and the exec credential plugin script.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertKey } from './certs';

export const CONTEXTS = {
  admin: 'sandbox-admin',
  limited: 'sandbox-limited',
  exec: 'sandbox-exec',
  unreachable: 'sandbox-unreachable',
  expired: 'sandbox-expired',
  insecure: 'sandbox-insecure',
} as const;

export interface KubeconfigInput {
  dataDir: string;
  url: string;
  unreachableUrl: string;
  caPem: string;
  admin: CertKey;
  limitedToken: string;
  execToken: string;
  expiredToken: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function writeKubeconfig(i: KubeconfigInput): string {
  const execScript = join(i.dataDir, 'exec-credential.js');
  writeFileSync(
    execScript,
    `// Exec credential plugin for the sandbox-exec context.\n` +
      `const out = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(i.execToken)}, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString().replace(/\\.\\d+Z$/, 'Z') } };\n` +
      `process.stdout.write(JSON.stringify(out));\n`,
  );
  chmodSync(execScript, 0o755);
  const caData = b64(i.caPem);
  const cfg = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': CONTEXTS.admin,
    clusters: [
      { name: 'sandbox', cluster: { server: i.url, 'certificate-authority-data': caData } },
      { name: 'sandbox-insecure', cluster: { server: i.url, 'insecure-skip-tls-verify': true } },
      { name: 'sandbox-unreachable', cluster: { server: i.unreachableUrl, 'certificate-authority-data': caData } },
    ],
    users: [
      { name: 'sandbox-admin', user: { 'client-certificate-data': b64(i.admin.certPem), 'client-key-data': b64(i.admin.keyPem) } },
      { name: 'jane', user: { token: i.limitedToken } },
      {
        name: 'sandbox-exec',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args: [execScript],
            interactiveMode: 'Never',
            provideClusterInfo: false,
          },
        },
      },
      { name: 'expired', user: { token: i.expiredToken } },
    ],
    contexts: [
      { name: CONTEXTS.admin, context: { cluster: 'sandbox', user: 'sandbox-admin' } },
      { name: CONTEXTS.limited, context: { cluster: 'sandbox', user: 'jane', namespace: 'build' } },
      { name: CONTEXTS.exec, context: { cluster: 'sandbox', user: 'sandbox-exec' } },
      { name: CONTEXTS.unreachable, context: { cluster: 'sandbox-unreachable', user: 'sandbox-admin' } },
      { name: CONTEXTS.expired, context: { cluster: 'sandbox', user: 'expired' } },
      { name: CONTEXTS.insecure, context: { cluster: 'sandbox-insecure', user: 'sandbox-admin' } },
    ],
  };
  const path = join(i.dataDir, 'kubeconfig');
  writeFileSync(path, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  return path;
}
