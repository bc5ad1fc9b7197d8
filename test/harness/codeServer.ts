import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { delay, spawnGroup, type GroupProcess } from './processes';
import { makeTempDir, removeTempDir } from './tempDirs';
import { ensureCodeServer, log } from './toolchain';

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly process: GroupProcess;
  /** Rewrites the user settings; the running workbench picks the change up by itself. */
  writeSettings(settings: Record<string, unknown>): void;
  /** Stops code-server by pid, then removes its folder (user data, extensions, logs). */
  stop(): Promise<void>;
}

/** Settings that keep an offline, headless workbench quiet and deterministic. */
export const baseSettings: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.agent.enabled': false,
  'chat.commandCenter.enabled': false,
  'github.copilot.enable': { '*': false },
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly settings?: Record<string, unknown>;
  readonly port?: number;
  /**
   * An extension folder to install (linked into the extensions folder), as a user has it. The workbench then
   * needs no development payload, so the smoke-test driver stays off: it would drop every notification toast.
   */
  readonly installedExtension?: string;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const bin = await ensureCodeServer();
  const root = makeTempDir('vscode');
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  // Extension hosts put their IPC sockets in XDG_RUNTIME_DIR: here, rather than one left in /tmp per host.
  const runtimeDir = join(root, 'runtime');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(runtimeDir, { mode: 0o700 });
  if (options.installedExtension !== undefined) {
    const { publisher, name, version } = JSON.parse(readFileSync(join(options.installedExtension, 'package.json'), 'utf8')) as Record<string, string>;
    symlinkSync(options.installedExtension, join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');
  }
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const writeSettings = (settings: Record<string, unknown>) => writeFileSync(settingsFile, JSON.stringify({ ...baseSettings, ...settings }, null, 2));
  writeSettings(options.settings ?? {});
  const port = options.port ?? (await freePort());
  const child = spawnGroup(
    bin,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--config', join(root, 'config.yaml'),
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      // The browser workbench honours the extensionDevelopmentPath/extensionTestsPath payload only with this on.
      ...(options.installedExtension === undefined ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    {
      env: { ...process.env, ...options.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, XDG_RUNTIME_DIR: runtimeDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = async () => {
    await child.stop();
    removeTempDir(root);
  };
  let output = '';
  child.child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await isHealthy(url)) {
      break;
    }
    const exited = await Promise.race([child.exited.then(() => true), delay(200).then(() => false)]);
    if (exited) {
      await stop();
      throw new Error(`code-server exited before listening:\n${output.slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within 60 s:\n${output.slice(-4000)}`);
    }
  }
  log(`code-server listening on ${url} (pid ${child.pid})`);
  return { url, port, userDataDir, process: child, writeSettings, stop };
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** The workbench URL that opens `folder` with the installed extensions. */
export function installedWorkbenchUrl(server: CodeServer, folder: string): string {
  return `${server.url}/?folder=${encodeURIComponent(folder)}`;
}

/** The workbench URL that loads the extension under development (and optionally runs a test module in its host). */
export function workbenchUrl(server: CodeServer, options: { folder: string; extensionDevelopmentPath: string; extensionTestsPath?: string }): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]];
  if (options.extensionTestsPath) {
    payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  }
  return `${server.url}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
