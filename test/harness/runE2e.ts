import { join } from 'node:path';
import { startSandbox } from '../sandbox/sandbox';
import { startCodeServer } from './codeServer';
import { e2eEnvVar, type E2eInfo } from './e2eEnv';
import { runLayerMain } from './layerResult';
import { distDir, repoRoot } from './paths';
import { stopAll, stopAllOnExit } from './processes';
import { runMochaFiles } from './runMocha';
import { sandboxEnv } from './sandboxEnv';
import { makeTempDir, removeTempDir } from './tempDirs';
import { assertModernNode, log } from './toolchain';

/**
 * UI checks: one sandbox and one code-server for the layer; each e2e file drives its own Chromium page
 * against the real workbench with the extension under development loaded.
 */
export async function runE2e() {
  assertModernNode();
  stopAllOnExit();
  const sandbox = await startSandbox({ fixture: 'demo' });
  const workspace = makeTempDir('e2e-workspace');
  try {
    const env = sandboxEnv(sandbox);
    const server = await startCodeServer({ env });
    try {
      const info: E2eInfo = { codeServerUrl: server.url, codeServerPort: server.port, userDataDir: server.userDataDir, workspace, extensionPath: repoRoot };
      process.env[e2eEnvVar] = JSON.stringify(info);
      Object.assign(process.env, env);
      return await runMochaFiles('e2e', [join(distDir, 'test', 'e2e')], '.e2e.js', { timeoutMs: 180_000 });
    } finally {
      await server.stop();
    }
  } finally {
    // Browsers an e2e file left open, before the folders they use go.
    await stopAll();
    await sandbox.close();
    removeTempDir(workspace);
  }
}

if (require.main === module) {
  log('e2e layer: the real workbench in Debian Chromium');
  runLayerMain(runE2e);
}
