// Demo and scale data sets loaded on start.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { legacyTokenSecretData } from './legacyTokens';
import { orderMeta } from './objects';
import type { State } from './state';
import { rfc3339, type KObject, type Resource } from './store';

/** The repository's test/fixtures/demo-cluster.json, found from wherever the bundle that includes this runs. */
function demoClusterFixture(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'test', 'fixtures', 'demo-cluster.json');
    if (existsSync(path)) {return path;}
  }
  throw new Error(`test/fixtures/demo-cluster.json not found above ${__dirname}`);
}

const DAY = 86400_000;

interface FixtureItem {
  ageDays: number;
  terminating?: boolean;
  object: { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: unknown };
}

const RESOURCES: Record<string, Resource> = { Namespace: 'namespaces', Node: 'nodes', ServiceAccount: 'serviceaccounts', Pod: 'pods', Secret: 'secrets' };

/** What the real API server and its controllers add on creation, which the sandbox has no controllers for. */
function admitted(state: State, item: FixtureItem, created: string): KObject {
  const { kind, apiVersion: _apiVersion, metadata, ...rest } = item.object;
  const o: KObject = { metadata: orderMeta({ ...metadata, creationTimestamp: created }), ...rest };
  switch (kind) {
    case 'Namespace':
      o.spec = { finalizers: ['kubernetes'] };
      o.status = item.terminating
        ? { phase: 'Terminating', conditions: [{ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/stuck in 1 resource instances' }] }
        : { phase: 'Active' };
      if (item.terminating) {o.metadata.deletionTimestamp = rfc3339(state.now() - 3600_000);}
      break;
    case 'Node': {
      const status = o.status as { nodeInfo: Record<string, string> };
      status.nodeInfo = { ...status.nodeInfo, kubeletVersion: `v1.${state.cfg.minor}.0` };
      break;
    }
    case 'Pod': {
      const { containers, serviceAccountName, ...spec } = o.spec as Record<string, unknown>;
      o.spec = { containers, serviceAccountName, serviceAccount: serviceAccountName, ...spec };
      o.status = o.status ? { ...(o.status as object), startTime: created } : { phase: 'Pending' };
      break;
    }
  }
  return o;
}

/** The demo cluster of test/fixtures/demo-cluster.json, which the real control plane loads too. */
export function loadDemo(state: State): void {
  const { items } = JSON.parse(readFileSync(demoClusterFixture(), 'utf8')) as { items: FixtureItem[] };
  for (const item of items) {
    const resource = RESOURCES[item.object.kind];
    if (!resource) {throw new Error(`demo fixture: the sandbox has no ${item.object.kind}`);}
    const o = state.store.create(resource, admitted(state, item, rfc3339(state.now() - item.ageDays * DAY)));
    if (o.type === 'kubernetes.io/service-account-token') {
      // The tokens controller's work: the SA's uid and the legacy token.
      const account = state.store.get('serviceaccounts', o.metadata.namespace, o.metadata.annotations!['kubernetes.io/service-account.name']!)!;
      o.metadata.annotations!['kubernetes.io/service-account.uid'] = account.metadata.uid;
      o.data = legacyTokenSecretData(state, account, o);
    }
  }
}

function node(state: State, name: string, version: string): void {
  state.store.create('nodes', {
    metadata: orderMeta({ name, creationTimestamp: rfc3339(state.now() - 40 * DAY), labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } }),
    spec: { podCIDR: '10.244.0.0/24' },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }], nodeInfo: { kubeletVersion: version, operatingSystem: 'linux', architecture: 'amd64' } },
  });
}

export function loadScale(state: State): void {
  const { namespaces, serviceAccountsPerNamespace, podsPerNamespace } = state.cfg.scale;
  const nodes = Math.max(1, Math.ceil(namespaces / 50));
  const version = `v1.${state.cfg.minor}.0`;
  for (let i = 0; i < nodes; i++) {node(state, `scale-node-${String(i).padStart(3, '0')}`, version);}
  const created = rfc3339(state.now() - 7 * DAY);
  const width = String(namespaces).length;
  for (let i = 0; i < namespaces; i++) {
    const n = `scale-${String(i).padStart(width, '0')}`;
    state.store.create('namespaces', { metadata: orderMeta({ name: n, creationTimestamp: created, labels: { 'kubernetes.io/metadata.name': n, 'sandbox.test/fixture': 'scale' } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    for (let j = 0; j < serviceAccountsPerNamespace; j++) {
      const name = j === 0 ? 'default' : `sa-${String(j).padStart(3, '0')}`;
      const annotations: Record<string, string> | undefined = j % 3 === 1 ? { 'eks.amazonaws.com/role-arn': `arn:aws:iam::111122223333:role/${n}-${name}` } : j % 3 === 2 ? { 'iam.gke.io/gcp-service-account': `${name}@${n}.iam.gserviceaccount.com` } : undefined;
      state.store.create('serviceaccounts', { metadata: orderMeta({ name, namespace: n, creationTimestamp: created, annotations }) });
    }
    for (let j = 0; j < podsPerNamespace; j++) {
      const saName = serviceAccountsPerNamespace > 1 ? `sa-${String((j % (serviceAccountsPerNamespace - 1)) + 1).padStart(3, '0')}` : 'default';
      state.store.create('pods', {
        metadata: orderMeta({ name: `worker-${j}`, namespace: n, creationTimestamp: created, labels: { app: 'worker' } }),
        spec: { containers: [{ name: 'main', image: 'registry.example/worker:1.0' }], serviceAccountName: saName, serviceAccount: saName, nodeName: `scale-node-${String(i % nodes).padStart(3, '0')}` },
        status: { phase: 'Running', podIP: `10.${100 + (i >> 8)}.${i & 255}.${j + 2}` },
      });
    }
  }
}
