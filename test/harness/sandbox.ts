import { startSandbox } from '../sandbox/sandbox';
import { startCodeServer, installedWorkbenchUrl } from './codeServer';
import { startControlPlane } from './controlPlane';
import { repoRoot } from './paths';
import { stopAll, stopAllOnExit } from './processes';
import { sandboxEnv } from './sandboxEnv';
import { claimTempRun, makeTempDir } from './tempDirs';
import { assertModernNode, log } from './toolchain';

/** `npm run sandbox -- --kube` or SA_TOKENS_SANDBOX_SERVER=kube: the real control plane instead of the double. */
function wantsRealControlPlane(): boolean {
  return process.argv.includes('--kube') || process.env.SA_TOKENS_SANDBOX_SERVER === 'kube';
}

/**
 * `npm run sandbox`: the local sandbox cluster (a test double of kube-apiserver) with the demo fixture,
 * and a real VS Code (code-server) with this checkout installed as its extension (a link: a rebuild and
 * Reload Window load the new build) and KUBECONFIG pointing at it. With `-- --kube`, the real control plane (kube-apiserver v1.x, built on first use)
 * with the same demo fixture. Ctrl-C stops everything it started.
 */
async function main(): Promise<void> {
  assertModernNode();
  claimTempRun();
  // On Ctrl-C it also removes the temp folders (the workspace, code-server's, the server's data).
  stopAllOnExit();
  const port = Number(process.env.SA_TOKENS_SANDBOX_VSCODE_PORT ?? 0) || undefined;
  const scale = process.env.SA_TOKENS_SANDBOX_FIXTURE === 'scale';
  const sandbox = wantsRealControlPlane()
    ? await startControlPlane({ fixture: 'demo', ...(scale ? { scale: { namespaces: 2000 } } : {}) })
    : await startSandbox({ fixture: scale ? 'demo+scale' : 'demo' });
  const stop = async () => {
    await stopAll();
    await sandbox.close();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));
  // Installed as a user has it, not as a development payload: that would need the smoke-test driver, which hides every toast.
  const server = await startCodeServer({ env: sandboxEnv(sandbox), installedExtension: repoRoot, ...(port ? { port } : {}) });
  const folder = makeTempDir('sandbox-workspace');
  const url = installedWorkbenchUrl(server, folder);
  log(`${'version' in sandbox ? `kube-apiserver ${sandbox.version}` : 'sandbox API server'}: ${sandbox.url}`);
  const kubectl = 'kubectl' in sandbox ? sandbox.kubectl : 'kubectl';
  log(`kubeconfig:         ${sandbox.kubeconfigPath}  (try: ${kubectl} --kubeconfig ${sandbox.kubeconfigPath} get sa -A)`);
  process.stdout.write(`\nOpen VS Code with the extension loaded:\n\n  ${url}\n\nPress Ctrl-C to stop the sandbox and VS Code.\n`);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
