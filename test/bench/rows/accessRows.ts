import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import { analyzeAccountAccess, type AccessAccount } from '../../../src/core/access/accountAccess';
import { RbacIndex } from '../../../src/core/access/rbacIndex';
import { toRbacSnapshot } from '../../../src/core/access/rbacObjects';
import { ensureControlPlaneBinaries } from '../../harness/controlPlane';
import { run } from '../../harness/processes';
import { sandboxEnv } from '../../harness/sandboxEnv';
import { startSandbox } from '../../sandbox/sandbox';
import type { BenchConfig } from '../benchConfig';
import type { BenchReport } from '../benchReport';
import { interleave, timeMs } from '../interleave';
import { loadKubeBundle } from '../kubeModule';
import { RawKube } from '../rawKube';

const rbacGroup = 'rbac.authorization.k8s.io';
const namespaces = 2000;
const clusterRoleBindings = 2000;
/** Accounts per sample: one analysis is microseconds, so a sample is the mean over this many different accounts. */
const accountsPerSample = 50;

type Json = Record<string, unknown>;

/**
 * A large cluster's RBAC on top of the scale fixture's namespaces (`scale-0000` …): per namespace a Role
 * and four RoleBindings (to the Role, to edit, to a pod-creating ClusterRole, to a named token minter),
 * and 2,000 ClusterRoleBindings to users, groups and service accounts: 10,000 bindings in all.
 */
export function syntheticRbac(namespaceCount = namespaces): Json[] {
  const width = String(namespaceCount).length;
  const ns = (i: number) => `scale-${String(i).padStart(width, '0')}`;
  const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]) => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });
  const ref = (kind: string, name: string) => ({ apiGroup: rbacGroup, kind, name });
  const user = (name: string) => ({ kind: 'User', apiGroup: rbacGroup, name });
  const group = (name: string) => ({ kind: 'Group', apiGroup: rbacGroup, name });
  const items: Json[] = [
    { kind: 'ClusterRole', metadata: { name: 'bench:pod-creator' }, rules: [rule(['create'], [''], ['pods']), rule(['create'], ['apps'], ['deployments', 'statefulsets'])] },
    { kind: 'ClusterRole', metadata: { name: 'bench:token-minter' }, rules: [rule(['create'], [''], ['serviceaccounts/token'], ['sa-001', 'sa-002'])] },
    { kind: 'ClusterRole', metadata: { name: 'bench:secret-reader' }, rules: [rule(['get', 'list'], [''], ['secrets'])] },
    { kind: 'ClusterRole', metadata: { name: 'bench:impersonator' }, rules: [rule(['impersonate'], [''], ['serviceaccounts'])] },
  ];
  for (let i = 0; i < namespaceCount; i++) {
    const n = ns(i);
    items.push({ kind: 'Role', metadata: { name: 'team', namespace: n }, rules: [rule(['get', 'list', 'watch'], ['', 'apps'], ['*']), rule(['create'], ['batch'], ['jobs'])] });
    items.push({ kind: 'RoleBinding', metadata: { name: 'team', namespace: n }, subjects: [group(`team-${i}`), { kind: 'ServiceAccount', name: 'default', namespace: n }], roleRef: ref('Role', 'team') });
    items.push({ kind: 'RoleBinding', metadata: { name: 'editors', namespace: n }, subjects: [user(`dev-${i}`)], roleRef: ref('ClusterRole', 'edit') });
    items.push({ kind: 'RoleBinding', metadata: { name: 'deployers', namespace: n }, subjects: [{ kind: 'ServiceAccount', name: 'sa-003', namespace: ns((i + 1) % namespaceCount) }], roleRef: ref('ClusterRole', 'bench:pod-creator') });
    items.push({ kind: 'RoleBinding', metadata: { name: 'minters', namespace: n }, subjects: [user(`ci-${i}`)], roleRef: ref('ClusterRole', 'bench:token-minter') });
  }
  const roles = ['bench:secret-reader', 'bench:impersonator', 'view', 'bench:pod-creator'];
  for (let i = 0; i < clusterRoleBindings; i++) {
    const subject = i % 3 === 0 ? user(`ops-${i}`) : i % 3 === 1 ? group(`ops-group-${i}`) : { kind: 'ServiceAccount', name: 'sa-004', namespace: ns(i % namespaceCount) };
    items.push({ kind: 'ClusterRoleBinding', metadata: { name: `bench-${i}` }, subjects: [subject], roleRef: ref('ClusterRole', roles[i % roles.length]!) });
  }
  return items;
}

const plural: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

async function createAll(raw: RawKube, items: Json[]): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const meta = item.metadata as { namespace?: string };
      const path = `/apis/${rbacGroup}/v1${meta.namespace ? `/namespaces/${meta.namespace}` : ''}/${plural[item.kind as string]}`;
      const { status, json } = await raw.request('POST', path, { apiVersion: `${rbacGroup}/v1`, ...item });
      if (status !== 201) {throw new Error(`POST ${path}: ${status} ${JSON.stringify(json).slice(0, 200)}`);}
    }
  }));
}

/** The kubectl way: one `kubectl get` of the four kinds, parsed, split by kind, analysed without an index kept. */
function snapshotFromKubectl(stdout: string): ReturnType<typeof toRbacSnapshot> {
  const items = (JSON.parse(stdout) as { items: Json[] }).items;
  const of = (kind: string) => items.filter((i) => i.kind === kind);
  return toRbacSnapshot({ roles: of('Role'), clusterRoles: of('ClusterRole'), roleBindings: of('RoleBinding'), clusterRoleBindings: of('ClusterRoleBinding') });
}

function check(condition: boolean, message: string): void {
  if (!condition) {throw new Error(message);}
}

export async function accessRows(report: BenchReport, config: BenchConfig, log: (m: string) => void): Promise<void> {
  const { kubectl } = await ensureControlPlaneBinaries();
  const t0 = Date.now();
  const sandbox = await startSandbox({ fixture: 'scale' });
  const raw = RawKube.of(sandbox);
  const kube = loadKubeBundle();
  const client = kube.createClusterClient(kube.loadKubeconfig({ paths: sandbox.kubeconfigPath }));
  const cacheDir = makeTempDir('bench-kubectl');
  const env = { ...process.env, ...sandboxEnv(sandbox) };
  try {
    const synthetic = syntheticRbac();
    await createAll(raw, synthetic);
    log(`access: sandbox with ${namespaces.toLocaleString('en-US')} namespaces and ${synthetic.length.toLocaleString('en-US')} synthetic RBAC objects up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const listing = await client.listRbac();
    check(listing.complete, 'listRbac: incomplete as admin');
    const bindings = listing.snapshot.roleBindings.length + listing.snapshot.clusterRoleBindings.length;
    check(bindings >= 10_000, `only ${bindings} bindings`);
    const index = RbacIndex.build(listing.snapshot);
    let round = 0;
    const nextAccounts = (): AccessAccount[] => {
      round++;
      return Array.from({ length: accountsPerSample }, (_, k) => {
        const i = (round * 7919 + k * 104_729) % namespaces;
        return { namespace: `scale-${String(i).padStart(4, '0')}`, name: `sa-00${1 + ((round + k) % 5)}`, legacyTokenSecrets: k % 2 === 0 ? ['old-token'] : [] };
      });
    };
    let grants = 0;
    let analysed = 0;
    const ours = () =>
      timeMs(() => {
        for (const account of nextAccounts()) {
          grants += analyzeAccountAccess(index, account).paths.reduce((n, p) => n + p.grants.length, 0);
          analysed++;
        }
      }).then((ms) => ms / accountsPerSample);
    const viaKubectl = () =>
      timeMs(async () => {
        const out = (await run(kubectl, ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', cacheDir, 'get', 'rolebindings,clusterrolebindings,roles,clusterroles', '-A', '-o', 'json'], { env, timeoutMs: 300_000 })).stdout;
        const report = analyzeAccountAccess(RbacIndex.build(snapshotFromKubectl(out)), nextAccounts()[0]!);
        check(report.paths.length === 5, 'kubectl way: no report');
      });
    const roundTrip = () =>
      timeMs(async () => {
        const account = nextAccounts()[0]!;
        await raw.get(`/api/v1/namespaces/${account.namespace}/serviceaccounts/${account.name}`);
      });
    const samples = await interleave(
      [
        { name: 'analysis of one account (indexed)', run: ours },
        { name: 'kubectl get rolebindings,clusterrolebindings,roles,clusterroles -A -o json + the same analysis', run: viaKubectl },
        { name: 'one API round trip (GET a service account, keep-alive)', run: roundTrip },
      ],
      { reps: config.quick ? 2 : Math.min(config.reps, 5), warmup: 1 },
    );
    check(grants > 0, 'the analysis found no grants');
    report.addRow({
      section: 'access',
      figure: `who can get one service account's credentials, on ${namespaces.toLocaleString('en-US')} namespaces / ${bindings.toLocaleString('en-US')} bindings (sandbox; mean of ${accountsPerSample} accounts per sample, ${Math.round(grants / analysed).toLocaleString('en-US')} grants per account: the 1,500 ClusterRoleBindings to pod-creating, impersonating and secret-reading roles name someone for every account)`,
      unit: 'ms',
      better: 'lower',
      subject: 'analysis of one account (indexed)',
      peers: ['kubectl get rolebindings,clusterrolebindings,roles,clusterroles -A -o json + the same analysis', 'one API round trip (GET a service account, keep-alive)'],
      samples,
    });
    // Once per context: what the index costs to get, against kubectl's one listing of the same objects.
    const listAndIndex = await interleave(
      [
        {
          name: 'kube layer listRbac (4 lists, pages of 500, in parallel) + RbacIndex.build',
          run: () =>
            timeMs(async () => {
              const l = await client.listRbac();
              check(RbacIndex.build(l.snapshot).counts.roleBindings === listing.snapshot.roleBindings.length, 'listRbac: different count');
            }),
        },
        {
          name: 'kubectl get rolebindings,clusterrolebindings,roles,clusterroles -A -o json + JSON.parse',
          run: () =>
            timeMs(async () => {
              const out = (await run(kubectl, ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', cacheDir, 'get', 'rolebindings,clusterrolebindings,roles,clusterroles', '-A', '-o', 'json'], { env, timeoutMs: 300_000 })).stdout;
              check(snapshotFromKubectl(out).roleBindings.length === listing.snapshot.roleBindings.length, 'kubectl: different count');
            }),
        },
      ],
      { reps: config.quick ? 1 : Math.min(config.reps, 5), warmup: config.quick ? 0 : 1 },
    );
    report.addRow({
      section: 'access',
      figure: 'listing and indexing the RBAC once per context',
      unit: 'ms',
      better: 'lower',
      subject: 'kube layer listRbac (4 lists, pages of 500, in parallel) + RbacIndex.build',
      peers: ['kubectl get rolebindings,clusterrolebindings,roles,clusterroles -A -o json + JSON.parse'],
      samples: listAndIndex,
    });
  } finally {
    client.dispose();
    raw.dispose();
    removeTempDir(cacheDir);
    await sandbox.close();
  }
}
