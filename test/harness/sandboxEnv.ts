import type { Sandbox } from '../sandbox/sandbox';

/** What the harness tells tests (in the extension host or in Node) about the running sandbox cluster. */
export interface SandboxInfo {
  url: string;
  kubeconfigPath: string;
  dataDir: string;
  adminToken: string;
  caPem: string;
  contexts: Sandbox['contexts'];
}

export const sandboxEnvVar = 'SA_TOKENS_SANDBOX';

export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const info: SandboxInfo = {
    url: sandbox.url,
    kubeconfigPath: sandbox.kubeconfigPath,
    dataDir: sandbox.dataDir,
    adminToken: sandbox.adminToken,
    caPem: sandbox.caPem,
    contexts: sandbox.contexts,
  };
  return { KUBECONFIG: sandbox.kubeconfigPath, [sandboxEnvVar]: JSON.stringify(info) };
}

export function readSandboxEnv(env: NodeJS.ProcessEnv = process.env): SandboxInfo {
  const raw = env[sandboxEnvVar];
  if (!raw) {
    throw new Error(`${sandboxEnvVar} is not set: run these tests through the harness (npm run test:integration)`);
  }
  return JSON.parse(raw) as SandboxInfo;
}
