import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './processes';
import { toolsDir } from './paths';

export const codeServerVersion = '4.139.1';
const codeServerDir = join(toolsDir, 'code-server');
const codeServerBin = join(codeServerDir, 'bin', 'code-server');
const codeServerMarker = join(codeServerDir, `.installed-${codeServerVersion}`);

/** Node that runs this harness (the project's Node 24 inside npm scripts); code-server and the extension host need >= 22.15. */
export function assertModernNode(): void {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 15)) {
    throw new Error(
      `Node ${process.versions.node} is too old: run through npm scripts (npm test / npm run sandbox), which put the project's Node 24 first on PATH.`,
    );
  }
}

function pathWithThisNode(): string {
  return `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
}

/**
 * Under `npm test` the outer npm (possibly the machine's Node 20) exports npm_config_* variables, among them
 * a user agent naming its Node version, which code-server's postinstall reads to refuse Node < 24. The
 * nested install must describe itself.
 */
function withoutOuterNpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD'));
}

/**
 * Native modules must be built against the headers of the Node that will load them. The machine's npm
 * config may point node-gyp at the system Node 20 headers, so point it at this Node's own when it has them.
 */
function nodeGypEnv(): NodeJS.ProcessEnv {
  const nodeDir = dirname(dirname(realpathSync(process.execPath)));
  const headers = join(nodeDir, 'include', 'node', 'node_version.h');
  return existsSync(headers) ? { npm_config_nodedir: nodeDir } : {};
}

/** Installs missing Debian packages when running as root; otherwise says exactly what to install. */
export async function ensureDebianPackages(packages: { name: string; provides: string }[]): Promise<void> {
  const missing = packages.filter((p) => !existsSync(p.provides));
  if (missing.length === 0) {
    return;
  }
  const names = missing.map((p) => p.name);
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${names.join(', ')}. Install them with: sudo apt-get install -y ${names.join(' ')}`);
  }
  log(`installing Debian packages: ${names.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...names], { env, timeoutMs: 20 * 60_000 });
}

export const chromiumPath = '/usr/bin/chromium';

/** Chromium for the UI layer; libkrb5-dev and pkg-config for code-server's native modules. */
export async function ensureSystemPackages(): Promise<void> {
  await ensureDebianPackages([
    { name: 'chromium', provides: chromiumPath },
    { name: 'libkrb5-dev', provides: '/usr/include/krb5.h' },
    { name: 'pkg-config', provides: '/usr/bin/pkg-config' },
  ]);
}

/**
 * A real VS Code (code-server ships the full workbench and Node extension host) from the npm registry,
 * cached in its own git-ignored folder so the project's node_modules stay lean.
 */
export async function ensureCodeServer(): Promise<string> {
  if (existsSync(codeServerMarker) && existsSync(codeServerBin)) {
    return codeServerBin;
  }
  await ensureSystemPackages();
  mkdirSync(codeServerDir, { recursive: true });
  log(`installing code-server ${codeServerVersion} into ${codeServerDir} (one time, a few minutes)`);
  await run(
    'npm',
    ['install', '-g', '--prefix', codeServerDir, `code-server@${codeServerVersion}`, '--allow-scripts=code-server,argon2', '--no-audit', '--no-fund'],
    { env: { ...withoutOuterNpmEnv(process.env), ...nodeGypEnv(), PATH: pathWithThisNode() }, timeoutMs: 20 * 60_000 },
  );
  await run(codeServerBin, ['--version'], { env: { ...process.env, PATH: pathWithThisNode() }, timeoutMs: 60_000 });
  writeFileSync(codeServerMarker, new Date().toISOString());
  return codeServerBin;
}

export function log(message: string): void {
  process.stderr.write(`[harness] ${message}\n`);
}
