// The real Kubernetes control plane of the tests (test/kube): built from the official modules on first
// use, cached per release and source hash outside the clone, started as a child process and stopped by pid.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths';
import { delay, run, spawnGroup, type GroupProcess } from './processes';
import { makeTempDir, removeTempDir } from './tempDirs';
import { log } from './toolchain';

export const kubeModuleDir = join(repoRoot, 'test', 'kube');
export const demoClusterFixture = join(repoRoot, 'test', 'fixtures', 'demo-cluster.json');

export interface ControlPlaneBinaries {
  /** The Kubernetes release, as pinned in test/kube/go.mod. */
  readonly release: string;
  readonly controlplane: string;
  readonly kubectl: string;
}

export interface ControlPlaneOptions {
  fixture?: 'demo' | 'none';
  scale?: { namespaces: number; serviceAccountsPerNamespace?: number; podsPerNamespace?: number };
  issuers?: string[];
  apiAudiences?: string[];
  maxTokenExpirationSeconds?: number;
  extendTokenExpiration?: boolean;
  legacyTokenCleanUpPeriod?: string;
  legacyTokenSyncInterval?: string;
}

/** A running control plane; the fields the sandbox also has are spelled as the sandbox spells them. */
export interface ControlPlane {
  readonly kind: 'kube-apiserver';
  readonly url: string;
  readonly kubeconfigPath: string;
  readonly dataDir: string;
  readonly caPem: string;
  readonly adminToken: string;
  readonly contexts: { admin: string; limited: string; exec: string; unreachable: string; expired: string; insecure: string };
  readonly version: string;
  readonly kubectl: string;
  /** Start-up phases in ms (etcd, apiserver, fixture, total), as the control plane measured them. */
  readonly startupMs: Readonly<Record<string, number>>;
  readonly pid: number;
  close(): Promise<void>;
}

const minimumGo = '1.26';

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kube-sa-tokens');
}

/** Go's own parser reads the pinned release from go.mod. */
async function pinnedRelease(): Promise<string> {
  const { stdout } = await run('go', ['mod', 'edit', '-json'], { cwd: kubeModuleDir });
  const mod = JSON.parse(stdout) as { Require?: { Path: string; Version: string }[] };
  const release = mod.Require?.find((r) => r.Path === 'k8s.io/kubernetes')?.Version;
  if (!release) {
    throw new Error(`${join(kubeModuleDir, 'go.mod')} does not require k8s.io/kubernetes`);
  }
  return release;
}

async function assertGo(): Promise<void> {
  let version: string;
  try {
    version = (await run('go', ['env', 'GOVERSION'])).stdout.trim();
  } catch {
    throw new Error(`Go ${minimumGo} or newer is needed to build the test control plane (kube-apiserver), and no \`go\` is on PATH. Install Go ${minimumGo} (https://go.dev/doc/install) and run the command again.`);
  }
  const [major, minor] = version.replace(/^go/, '').split('.').map(Number);
  const [needMajor, needMinor] = minimumGo.split('.').map(Number);
  if (!(major > needMajor || (major === needMajor && minor >= needMinor))) {
    throw new Error(`Go ${minimumGo} or newer is needed to build the test control plane (kube-apiserver); this machine has ${version}. Install Go ${minimumGo} and run the command again.`);
  }
}

/** What the binaries are built from: our Go sources and the module pins. A change rebuilds. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) {
        hash.update(relative(kubeModuleDir, path)).update('\0').update(readFileSync(path)).update('\0');
      }
    }
  };
  walk(kubeModuleDir);
  return hash.digest('hex').slice(0, 16);
}

function versionFlags(release: string): string {
  const [major, minor] = release.replace(/^v/, '').split('.');
  const vars = { gitVersion: release, gitMajor: major, gitMinor: minor, gitTreeState: 'clean', buildDate: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => Object.entries(vars).map(([name, value]) => `-X ${pkg}.${name}=${value}`))
    .join(' ');
}

/** Builds (or reuses) the control plane and kubectl of the pinned release, with visible progress. */
export async function ensureControlPlaneBinaries(): Promise<ControlPlaneBinaries> {
  await assertGo();
  const release = await pinnedRelease();
  const dir = join(cacheRoot(), `kubernetes-${release}-${sourceHash()}`);
  const binaries = { release, controlplane: join(dir, 'controlplane'), kubectl: join(dir, 'kubectl') };
  if (existsSync(binaries.controlplane) && existsSync(binaries.kubectl)) {
    return binaries;
  }
  mkdirSync(cacheRoot(), { recursive: true });
  // Beside the cache (a rename, not a copy, publishes it); recorded, so an interrupted build leaves no 300 MB behind.
  const staging = makeTempDir('build', cacheRoot());
  try {
    const started = Date.now();
    log(`building the test control plane: kube-apiserver, etcd and kubectl ${release} from the official Go modules`);
    log(`(first run only, cached in ${dir}; it takes a while on a small machine, and Go's module and build caches make later builds fast)`);
    const ldflags = versionFlags(release);
    for (const [name, pkg] of [['controlplane', './cmd/controlplane'], ['kubectl', 'k8s.io/kubernetes/cmd/kubectl']] as const) {
      const t = Date.now();
      log(`  go build ${pkg}`);
      await streamed('go', ['build', '-ldflags', ldflags, '-o', join(staging, name), pkg], kubeModuleDir);
      log(`  built ${name} in ${Math.round((Date.now() - t) / 1000)} s`);
    }
    // A concurrent build may have finished first; either result is the same build.
    if (!existsSync(binaries.controlplane)) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
    // Builds of other sources or releases are not used again (about 300 MB each).
    for (const old of readdirSync(cacheRoot())) {
      if (old.startsWith('kubernetes-') && join(cacheRoot(), old) !== dir) {rmSync(join(cacheRoot(), old), { recursive: true, force: true });}
    }
    log(`test control plane ready in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    removeTempDir(staging);
  }
  return binaries;
}

/** Runs a build, passing its output through, with a heartbeat so a long compile is visibly alive. */
async function streamed(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawnGroup(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  const started = Date.now();
  const heartbeat = setInterval(() => log(`  … still compiling (${Math.round((Date.now() - started) / 60_000)} min)`), 60_000);
  try {
    const code = await child.exited;
    if (code !== 0) {
      throw new Error(`${command} ${args.join(' ')} failed (exit ${code}) in ${cwd}`);
    }
  } finally {
    clearInterval(heartbeat);
    await child.stop();
  }
}

function controlPlaneArgs(dataDir: string, o: ControlPlaneOptions): string[] {
  const args = ['--data-dir', dataDir];
  if ((o.fixture ?? 'demo') === 'demo') {
    args.push('--fixture', demoClusterFixture);
  }
  if (o.scale) {
    args.push('--scale-namespaces', String(o.scale.namespaces));
    if (o.scale.serviceAccountsPerNamespace !== undefined) {args.push('--scale-service-accounts-per-namespace', String(o.scale.serviceAccountsPerNamespace));}
    if (o.scale.podsPerNamespace !== undefined) {args.push('--scale-pods-per-namespace', String(o.scale.podsPerNamespace));}
  }
  for (const issuer of o.issuers ?? []) {args.push('--issuer', issuer);}
  if (o.apiAudiences?.length) {args.push('--api-audiences', o.apiAudiences.join(','));}
  if (o.maxTokenExpirationSeconds !== undefined) {args.push('--max-token-expiration-seconds', String(o.maxTokenExpirationSeconds));}
  if (o.extendTokenExpiration !== undefined) {args.push(`--extend-token-expiration=${o.extendTokenExpiration}`);}
  if (o.legacyTokenCleanUpPeriod) {args.push('--legacy-token-clean-up-period', o.legacyTokenCleanUpPeriod);}
  if (o.legacyTokenSyncInterval) {args.push('--legacy-token-sync-interval', o.legacyTokenSyncInterval);}
  return args;
}

interface ReadyLine {
  url: string;
  kubeconfig: string;
  pid: number;
  dataDir: string;
  adminToken: string;
  contexts: ControlPlane['contexts'];
  kubernetesVersion: string;
  startupMs: Record<string, number>;
}

const startTimeoutMs = 5 * 60_000;

/** Starts the real control plane with its own data folder; `close()` stops it by pid and removes the folder. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = await ensureControlPlaneBinaries();
  const dataDir = makeTempDir('kube');
  const child: GroupProcess = spawnGroup(binaries.controlplane, controlPlaneArgs(dataDir, options), { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.child.stderr?.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    // Only the tail is kept: it is what a start failure reports.
    if (stderr.length > 400) {stderr.splice(0, 200);}
  });
  const close = async () => {
    await child.stop();
    removeTempDir(dataDir);
  };
  try {
    const ready = await readyLine(child, startTimeoutMs, () => stderr.join('').split('\n').slice(-30).join('\n'));
    return {
      kind: 'kube-apiserver',
      url: ready.url,
      kubeconfigPath: ready.kubeconfig,
      dataDir,
      caPem: readFileSync(join(dataDir, 'ca.crt'), 'utf8'),
      adminToken: ready.adminToken,
      contexts: ready.contexts,
      version: ready.kubernetesVersion,
      kubectl: binaries.kubectl,
      startupMs: ready.startupMs,
      pid: child.pid,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

function readyLine(child: GroupProcess, timeoutMs: number, tail: () => string): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.child.stdout! });
    const fail = (why: string) => {
      lines.close();
      reject(new Error(`The test control plane (kube-apiserver) did not start: ${why}\n${tail()}`));
    };
    const timer = setTimeout(() => fail(`no ready line in ${timeoutMs / 1000} s`), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as ReadyLine);
      } catch {
        fail(`unexpected output: ${line}`);
      }
    });
    void child.exited.then(async (code) => {
      await delay(50); // let the last stderr chunk arrive
      clearTimeout(timer);
      fail(`it exited with code ${code}`);
    });
  });
}
