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
/** The real control plane (kube-apiserver), described in the same shape. */
export const kubeApiserverEnvVar = 'SA_TOKENS_KUBE';

export function sandboxEnv(sandbox: Pick<Sandbox, 'url' | 'kubeconfigPath' | 'dataDir' | 'adminToken' | 'caPem' | 'contexts'>): Record<string, string> {
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

/** The real control plane for the tests that run against it; its kubeconfig has the sandbox's context names. */
export function kubeApiserverEnv(cp: SandboxInfo & { kubectl: string }): Record<string, string> {
  const info: SandboxInfo = { url: cp.url, kubeconfigPath: cp.kubeconfigPath, dataDir: cp.dataDir, adminToken: cp.adminToken, caPem: cp.caPem, contexts: cp.contexts };
  return { [kubeApiserverEnvVar]: JSON.stringify(info), [kubectlEnvVar]: cp.kubectl };
}

export function readKubeApiserverEnv(env: NodeJS.ProcessEnv = process.env): SandboxInfo {
  const raw = env[kubeApiserverEnvVar];
  if (!raw) {
    throw new Error(`${kubeApiserverEnvVar} is not set: run these tests through the harness (npm run test:integration), which starts the real control plane`);
  }
  return JSON.parse(raw) as SandboxInfo;
}

/** kubectl of the control plane's release, for tests in the extension host. */
export const kubectlEnvVar = 'SA_TOKENS_KUBECTL';

export function readKubectlEnv(env: NodeJS.ProcessEnv = process.env): string {
  const bin = env[kubectlEnvVar];
  if (!bin) {
    throw new Error(`${kubectlEnvVar} is not set: run these tests through the harness (npm run test:integration)`);
  }
  return bin;
}

export function readSandboxEnv(env: NodeJS.ProcessEnv = process.env): SandboxInfo {
  const raw = env[sandboxEnvVar];
  if (!raw) {
    throw new Error(`${sandboxEnvVar} is not set: run these tests through the harness (npm run test:integration)`);
  }
  return JSON.parse(raw) as SandboxInfo;
}
