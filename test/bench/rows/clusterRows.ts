import { join } from 'node:path';
import { buildTokenRequestBody, tokenRequestPath } from '../../../src/core/tokenRequest/tokenRequest';
import type { TokenRequestOptions } from '../../../src/core/tokenRequest/tokenRequest';
import type { ClusterClient } from '../../../src/kube/clusterClient';
import { run } from '../../harness/processes';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import { sandboxEnv } from '../../harness/sandboxEnv';
import { ensureControlPlaneBinaries, startControlPlane } from '../../harness/controlPlane';
import { startSandbox } from '../../sandbox/sandbox';
import type { TestCluster } from '../../cluster/clusters';
import type { BenchConfig } from '../benchConfig';
import type { BenchReport } from '../benchReport';
import { benchDist } from '../benchPaths';
import { interleave, timeMs } from '../interleave';
import { loadKubeBundle } from '../kubeModule';
import { RawKube } from '../rawKube';

/** Everything a cluster row needs, started once per server: the scale fixture, a kube layer client, a raw client. */
interface ClusterBench {
  readonly sandbox: Pick<TestCluster, 'url' | 'kubeconfigPath' | 'dataDir' | 'caPem' | 'adminToken' | 'contexts'>;
  /** Service accounts in the scale fixture. */
  readonly accounts: number;
  /** ' (kube-apiserver)' or '': every row name says which server it measured. */
  readonly suffix: string;
  readonly env: NodeJS.ProcessEnv;
  readonly client: ClusterClient;
  readonly raw: RawKube;
  /** kubectl with its own discovery cache (warm after the warm-up, as on a user's machine). */
  kubectl(args: string[]): Promise<string>;
  readonly config: BenchConfig;
}

function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Error(message);
  }
}

/** The scale fixture on the real control plane: 2,000 namespaces as on the sandbox, fewer in quick mode (it loads through the API). */
function realScaleNamespaces(config: BenchConfig): number {
  return config.quick ? 200 : 2000;
}

export async function clusterRows(report: BenchReport, config: BenchConfig, log: (m: string) => void): Promise<void> {
  // kubectl of the control plane's release is the peer on both servers.
  const { kubectl } = await ensureControlPlaneBinaries();
  for (const server of ['sandbox', 'kube-apiserver'] as const) {
    const t0 = Date.now();
    const started = server === 'sandbox'
      ? { cluster: await startSandbox({ fixture: 'scale' }), accounts: 20_000, loadMs: undefined }
      : await startRealScale(realScaleNamespaces(config));
    log(`scale ${server} up in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${started.cluster.url}${started.loadMs === undefined ? '' : ` (fixture load through the API: ${(started.loadMs / 1000).toFixed(1)} s)`}`);
    if (started.loadMs !== undefined) {
      // Reported apart from our figures: it is the server's time to create the fixture, not ours.
      report.addRow({
        section: 'fixture (kube-apiserver)',
        figure: `scale fixture created through the API: ${(started.accounts / 10).toLocaleString('en-US')} namespaces, ${started.accounts.toLocaleString('en-US')} service accounts, pods`,
        unit: 's',
        better: 'lower',
        subject: 'load time',
        samples: new Map([['load time', [started.loadMs / 1000]]]),
        noRatio: true,
      });
    }
    try {
      await clusterRowsOn(report, config, log, { ...started, suffix: server === 'sandbox' ? '' : ' (kube-apiserver)', kubectl });
    } finally {
      await started.cluster.close();
    }
  }
}

async function startRealScale(namespaces: number): Promise<{ cluster: TestCluster; accounts: number; loadMs: number }> {
  const cluster = await startControlPlane({ fixture: 'none', scale: { namespaces } });
  return { cluster, accounts: namespaces * 10, loadMs: cluster.startupMs.fixture ?? 0 };
}

async function clusterRowsOn(
  report: BenchReport,
  config: BenchConfig,
  log: (m: string) => void,
  on: { cluster: ClusterBench['sandbox']; accounts: number; suffix: string; kubectl: string },
): Promise<void> {
  const sandbox = on.cluster;
  const cacheDir = makeTempDir('bench-kubectl-cache');
  const kube = loadKubeBundle();
  const client = kube.createClusterClient(kube.loadKubeconfig({ paths: sandbox.kubeconfigPath }));
  const raw = RawKube.of(sandbox);
  const env = { ...process.env, ...sandboxEnv(sandbox) };
  const bench: ClusterBench = {
    sandbox,
    accounts: on.accounts,
    suffix: on.suffix,
    env,
    client,
    raw,
    config,
    kubectl: async (args) =>
      (await run(on.kubectl, ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', cacheDir, ...args], { env, timeoutMs: 180_000 })).stdout,
  };
  try {
    for (const [name, rows] of [
      ['first tree page', firstPageRows],
      ['walk', walkRows],
      ['issue a token', issueRows],
      ['memory', memoryRows],
    ] as const) {
      const t = Date.now();
      try {
        await rows(report, bench);
      } catch (error) {
        report.fail(`cluster${on.suffix}: ${name}`, error);
      }
      log(`  ${name}${on.suffix} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    client.dispose();
    raw.dispose();
    removeTempDir(cacheDir);
  }
}

/** Calls per sample of the warm rows. */
const warmBatch = 10;

async function meanOfBatch(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < warmBatch; i++) {
    total += await run();
  }
  return total / warmBatch;
}

async function firstPageRows(report: BenchReport, b: ClusterBench): Promise<void> {
  const section = `first tree page${b.suffix}`;
  const viaKube = async () => {
    const ms = await timeMs(async () => {
      const ns = await b.client.listNamespaces({ limit: 500 });
      const sas = await b.client.listServiceAccounts({ namespace: ns.items[0].name, limit: 500 });
      check(ns.items.length > 0 && sas.items.length > 0, 'kube layer: empty first page');
    });
    return ms;
  };
  const viaRaw = async () =>
    timeMs(async () => {
      const ns = await b.raw.get('/api/v1/namespaces?limit=500');
      const first = (ns.items as { metadata: { name: string } }[])[0].metadata.name;
      const sas = await b.raw.get(`/api/v1/namespaces/${first}/serviceaccounts?limit=500`);
      check((sas.items as unknown[]).length > 0, 'raw: empty first page');
    });
  // One page costs a few ms, less than the machine's jitter: each sample is the mean of a batch, and the
  // warm-up batches let the JIT settle for both sides alike (ours runs more code than the raw peer).
  const warm = await interleave(
    [
      { name: 'kube layer (warm client)', run: () => meanOfBatch(viaKube) },
      { name: 'raw HTTPS (keep-alive)', run: () => meanOfBatch(viaRaw) },
    ],
    b.config,
  );
  const warmRow = report.addRow({
    section,
    figure: 'namespaces page (limit 500) + first namespace’s service accounts, warm connection (each sample: the mean of 10 pages)',
    unit: 'ms',
    better: 'lower',
    subject: 'kube layer (warm client)',
    peers: ['raw HTTPS (keep-alive)'],
    samples: warm,
  });
  const warmRatio = warmRow.peers[0]!.ratio ?? Number.NaN;
  report.budget(`warm cluster calls within 1.1x of raw HTTPS${b.suffix}`, `${warmRatio.toFixed(2)}x raw`, warmRatio <= 1.1);
  const child = async (mode: 'kube' | 'raw') => {
    const { stdout } = await run(process.execPath, [join(benchDist, 'children', 'firstPageChild.js'), mode], { env: b.env, timeoutMs: 60_000 });
    return (JSON.parse(stdout) as { ms: number }).ms;
  };
  const cold = await interleave(
    [
      { name: 'kube layer, cold (lazy load + kubeconfig + TLS)', run: () => child('kube') },
      { name: 'raw HTTPS, cold (new TLS connection)', run: () => child('raw') },
    ],
    b.config,
  );
  const coldRow = report.addRow({
    section,
    figure: 'same, from a fresh process: includes loading dist/kube/index.js and reading the kubeconfig',
    unit: 'ms',
    better: 'lower',
    subject: 'kube layer, cold (lazy load + kubeconfig + TLS)',
    peers: ['raw HTTPS, cold (new TLS connection)'],
    samples: cold,
  });
  const coldRatio = coldRow.peers[0]!.ratio ?? Number.NaN;
  report.budget(`first tree page from a fresh process within 2x of raw cold HTTPS${b.suffix}`, `${coldRatio.toFixed(2)}x raw (${coldRow.subject.summary.median.toFixed(0)} ms)`, coldRatio <= 2);
}

async function walkRows(report: BenchReport, b: ClusterBench): Promise<void> {
  const section = `walk all service accounts${b.suffix}`;
  const counts = new Map<string, number>();
  const viaKube = () =>
    timeMs(async () => {
      let n = 0;
      for await (const page of b.client.walkServiceAccounts()) {
        n += page.length;
      }
      counts.set('kube', n);
    });
  const viaKubectl = () =>
    timeMs(async () => {
      const out = await b.kubectl(['get', 'sa', '-A', '-o', 'name']);
      counts.set('kubectl', out.split('\n').filter((l) => l.length > 0).length);
    });
  const viaRaw = () =>
    timeMs(async () => {
      let n = 0;
      await b.raw.listAll('/api/v1/serviceaccounts', (items) => (n += items.length));
      counts.set('raw', n);
    });
  // kubectl is the slowest contender by far (it is CPU-bound on the client): in quick mode the warm-up is
  // one cheap call that fills its discovery cache, and one small page through the other two.
  if (b.config.quick) {
    await b.kubectl(['get', 'ns', '-o', 'name', '--chunk-size=500']);
    await b.client.listServiceAccounts({ limit: 500 });
    await b.raw.get('/api/v1/serviceaccounts?limit=500');
  }
  const samples = await interleave(
    [
      { name: 'kube layer walkServiceAccounts', run: viaKube },
      { name: 'kubectl get sa -A -o name', run: viaKubectl },
      { name: 'raw HTTPS paged (limit=500)', run: viaRaw },
    ],
    b.config.quick ? { reps: b.config.reps, warmup: 0 } : b.config,
  );
  const n = counts.get('kube') ?? 0;
  check(n >= b.accounts && counts.get('kubectl') === n && counts.get('raw') === n, `walks disagree: ${JSON.stringify([...counts])}`);
  const row = report.addRow({
    section,
    figure: `${n.toLocaleString('en-US')} service accounts, pages of 500`,
    unit: 'ms',
    better: 'lower',
    subject: 'kube layer walkServiceAccounts',
    peers: ['kubectl get sa -A -o name', 'raw HTTPS paged (limit=500)'],
    samples,
  });
  const vsKubectl = 1 / (row.peers[0].ratio ?? Number.NaN);
  report.budget(`walk ≥ 3x faster than kubectl${b.suffix}`, `${vsKubectl.toFixed(1)}x faster (${(row.peers[1].ratio ?? Number.NaN).toFixed(2)}x raw HTTPS)`, vsKubectl >= 3);
}

async function issueRows(report: BenchReport, b: ClusterBench): Promise<void> {
  const section = `issue a token${b.suffix}`;
  const ns = (await b.client.listNamespaces({ limit: 1 })).items[0].name;
  const sa = (await b.client.listServiceAccounts({ namespace: ns, limit: 1 })).items[0].name;
  const options: TokenRequestOptions = { namespace: ns, serviceAccount: sa, audiences: [], expirationSeconds: 3600 };
  // The same body the kube layer sends, so the raw floor does the same work on the server.
  const body = buildTokenRequestBody(options);
  const path = tokenRequestPath(options);
  const viaKube = () =>
    timeMs(async () => {
      const result = await b.client.createToken(options);
      check(result.token.split('.').length === 3, 'kube layer: no token');
    });
  const viaKubectl = () =>
    timeMs(async () => {
      const out = await b.kubectl(['create', 'token', sa, '-n', ns, '--duration=1h']);
      check(out.trim().split('.').length === 3, 'kubectl: no token');
    });
  const viaRaw = () =>
    timeMs(async () => {
      const { status, json } = await b.raw.request('POST', path, body);
      check(status === 201 && typeof (json.status as { token?: string } | undefined)?.token === 'string', `raw POST: ${status}`);
    });
  const samples = await interleave(
    [
      { name: 'kube layer createToken', run: viaKube },
      { name: 'kubectl create token', run: viaKubectl },
      { name: 'raw HTTPS POST (keep-alive)', run: viaRaw },
    ],
    b.config,
  );
  const row = report.addRow({
    section,
    figure: `TokenRequest for ${ns}/${sa}, 1 h`,
    unit: 'ms',
    better: 'lower',
    subject: 'kube layer createToken',
    peers: ['kubectl create token', 'raw HTTPS POST (keep-alive)'],
    samples,
  });
  const vsKubectl = 1 / (row.peers[0].ratio ?? Number.NaN);
  const vsRaw = row.peers[1].ratio ?? Number.NaN;
  report.budget(`issue within 1.3x of raw HTTPS${b.suffix}`, `${vsRaw.toFixed(2)}x raw`, vsRaw <= 1.3);
  report.budget(`issue ≥ 5x faster than kubectl${b.suffix}`, `${vsKubectl.toFixed(1)}x faster`, vsKubectl >= 5);
}

async function memoryRows(report: BenchReport, b: ClusterBench): Promise<void> {
  const section = `memory${b.suffix}`;
  const moduleBytes: number[] = [];
  const child = async (mode: 'kube' | 'raw') => {
    const { stdout } = await run(process.execPath, ['--expose-gc', join(benchDist, 'children', 'memoryChild.js'), mode], { env: b.env, timeoutMs: 180_000 });
    const result = JSON.parse(stdout) as { moduleBytes: number; dataBytes: number; count: number };
    check(result.count >= b.accounts, `${mode}: browsed only ${result.count} service accounts`);
    if (mode === 'kube') {
      moduleBytes.push(result.moduleBytes / 1e6);
    }
    return result.dataBytes / 1e6;
  };
  // Child processes are slow (a full walk each) and the figure is nearly deterministic: no warm-up, at most 5 reps (1 in quick mode).
  const samples = await interleave(
    [
      { name: 'kube layer summaries', run: () => child('kube') },
      { name: 'raw parsed API objects', run: () => child('raw') },
    ],
    { reps: b.config.quick ? 1 : Math.min(b.config.reps, 5), warmup: 0 },
  );
  report.addRow({
    section,
    figure: 'heap growth after GC holding every service account of the scale fixture (Node approximation of the extension host)',
    unit: 'MB',
    better: 'lower',
    subject: 'kube layer summaries',
    peers: ['raw parsed API objects'],
    samples,
  });
  report.addRow({
    section,
    figure: 'heap cost of loading the kube layer bundle (once, on first cluster use)',
    unit: 'MB',
    better: 'lower',
    subject: 'dist/kube/index.js loaded',
    samples: new Map([['dist/kube/index.js loaded', moduleBytes]]),
  });
}
