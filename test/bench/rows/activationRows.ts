import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { launchChromium, type RunningBrowser } from '../../harness/browser';
import { startCodeServer, type CodeServer } from '../../harness/codeServer';
import { delay } from '../../harness/processes';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import type { BenchConfig } from '../benchConfig';
import type { BenchReport } from '../benchReport';
import { benchDist, emptyExtensionDir } from '../benchPaths';
import type { ShippedBuild } from '../shippedBuild';
import { median } from '../stats';
import { oursId, peerId, type HostActivationResult } from '../hostActivationProtocol';

const section = 'activation';

/**
 * The workbench URL with our extension (the shipped build) under development. code-server's payload parser accepts a list
 * of extensionDevelopmentPath entries, but only the last one is loaded (code-server 4.139), so the empty
 * peer is installed into the server's extensions folder instead (see installPeer).
 */
function benchWorkbenchUrl(server: CodeServer, extensionDir: string, folder: string): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(join(benchDist, 'hostActivation.js'))],
  ];
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Installs the empty extension as a regular (user) extension, as `code-server --install-extension` would lay it out. */
function installPeer(extensionsDir: string): void {
  const manifest = JSON.parse(readFileSync(join(emptyExtensionDir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const id = `${manifest.publisher}.${manifest.name}`;
  const folder = `${id}-${manifest.version}`;
  cpSync(emptyExtensionDir, join(extensionsDir, folder), { recursive: true });
  const entry = {
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: join(extensionsDir, folder), scheme: 'file' },
    relativeLocation: folder,
    metadata: { installedTimestamp: Date.now(), source: 'vsix', pinned: true },
  };
  writeFileSync(join(extensionsDir, 'extensions.json'), JSON.stringify([entry]));
}

async function waitForResult(dir: string, count: number, timeoutMs: number): Promise<HostActivationResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    if (files.length > count) {
      return JSON.parse(readFileSync(join(dir, files[count]), 'utf8')) as HostActivationResult;
    }
    if (Date.now() > deadline) {
      throw new Error(`the extension host wrote no activation result within ${timeoutMs / 1000} s`);
    }
    await delay(200);
  }
}

/**
 * Activation inside a real VS Code extension host (code-server + Chromium): each workbench load starts
 * a fresh extension host in which hostActivation.js activates kube-sa-tokens and the empty peer back to
 * back. One load = one paired sample; the first load is the warm-up (code-server's caches, disk).
 */
export async function activationRows(report: BenchReport, config: BenchConfig, shipped: ShippedBuild, log: (m: string) => void): Promise<void> {
  const resultDir = makeTempDir('bench-activation');
  // A present but unreachable kubeconfig: activation must not touch the cluster at all.
  const kubeconfig = join(resultDir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:9\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\nusers:\n- name: u\n  user:\n    token: bench\n',
  );
  const samples = new Map<string, number[]>();
  const push = (name: string, value: number) => samples.set(name, [...(samples.get(name) ?? []), value]);
  let vscodeVersion = '';
  const warmupLoads = config.quick ? 0 : 1;
  let server: CodeServer | undefined;
  let browser: RunningBrowser | undefined;
  try {
    server = await startCodeServer({ env: { BENCH_ACTIVATION_DIR: resultDir, KUBECONFIG: kubeconfig } });
    installPeer(join(dirname(server.userDataDir), 'extensions'));
    browser = await launchChromium();
    const loads = config.hostLoads + warmupLoads;
    for (let i = 0; i < loads; i++) {
      const folder = makeTempDir('bench-workspace');
      const page = await browser.browser.newPage();
      const t0 = Date.now();
      try {
        // The result file, not the page's load event, says when the host is done.
        await page.goto(benchWorkbenchUrl(server, shipped.dir, folder), { waitUntil: 'commit', timeout: 60_000 });
        const result = await waitForResult(resultDir, i, 180_000);
        if (result.error) {
          throw new Error(`activation in the host failed: ${result.error}`);
        }
        vscodeVersion = result.vscodeVersion;
        const o = result.timings[oursId];
        const p = result.timings[peerId];
        log(
          `  host load ${i + 1}/${loads}${i < warmupLoads ? ' (warm-up)' : ''}: ours load ${o.loadCodeMs.toFixed(2)} + activate ${o.activateMs.toFixed(2)} ms, ` +
            `empty load ${p.loadCodeMs.toFixed(2)} + activate ${p.activateMs.toFixed(2)} ms (activated by ${o.activatedBy}/${p.activatedBy}; ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
        );
        if (i >= warmupLoads) {
          push('kube-sa-tokens', o.loadCodeMs + o.activateMs);
          push('empty extension (same host)', p.loadCodeMs + p.activateMs);
          push('kube-sa-tokens: load code', o.loadCodeMs);
          push('kube-sa-tokens: activate()', o.activateMs);
        }
      } finally {
        await page.close().catch(() => undefined);
        removeTempDir(folder);
      }
    }
  } finally {
    await browser?.close();
    await server?.stop();
    removeTempDir(resultDir);
  }
  const row = report.addRow({
    section,
    figure: `the shipped build in the VS Code ${vscodeVersion} extension host (code-server): load code + activate(), from the host's own performance marks`,
    unit: 'ms',
    better: 'lower',
    subject: 'kube-sa-tokens',
    peers: ['empty extension (same host)'],
    samples,
    note: 'one fresh extension host per workbench load; both activate on onStartupFinished in the same host',
  });
  report.addRow({
    section,
    figure: 'kube-sa-tokens in the host, split',
    unit: 'ms',
    better: 'lower',
    subject: 'kube-sa-tokens: load code',
    peers: ['kube-sa-tokens: activate()'],
    samples,
    noRatio: true,
  });
  const ours = row.subject.summary.samples;
  const peer = row.peers[0].summary.samples;
  const above = median(ours.map((o, k) => o - peer[k]));
  report.budget('activation within 10 ms of the empty extension', `${above.toFixed(2)} ms above (median of paired differences, load code + activate)`, above <= 10);
}
