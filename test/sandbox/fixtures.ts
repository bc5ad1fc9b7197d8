// Demo and scale data sets loaded on start.
import { legacyTokenSecretData } from './legacyTokens';
import { orderMeta } from './objects';
import type { State } from './state';
import { rfc3339, type KObject } from './store';

const DAY = 86400_000;

function ns(state: State, name: string, ageDays: number, terminating = false): void {
  const created = rfc3339(state.now() - ageDays * DAY);
  state.store.create('namespaces', {
    metadata: orderMeta({
      name,
      creationTimestamp: created,
      deletionTimestamp: terminating ? rfc3339(state.now() - 3600_000) : undefined,
      labels: { 'kubernetes.io/metadata.name': name },
    }),
    spec: { finalizers: ['kubernetes'] },
    status: terminating
      ? { phase: 'Terminating', conditions: [{ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/stuck in 1 resource instances' }] }
      : { phase: 'Active' },
  });
}

function sa(state: State, namespace: string, name: string, ageDays: number, extra: { annotations?: Record<string, string>; labels?: Record<string, string>; secrets?: string[]; imagePullSecrets?: string[]; automount?: boolean } = {}): KObject {
  const o: KObject = { metadata: orderMeta({ name, namespace, creationTimestamp: rfc3339(state.now() - ageDays * DAY), labels: extra.labels, annotations: extra.annotations }) };
  if (extra.secrets) {o.secrets = extra.secrets.map((n) => ({ name: n }));}
  if (extra.imagePullSecrets) {o.imagePullSecrets = extra.imagePullSecrets.map((n) => ({ name: n }));}
  if (extra.automount !== undefined) {o.automountServiceAccountToken = extra.automount;}
  return state.store.create('serviceaccounts', o);
}

function node(state: State, name: string, role: string | undefined, version: string): void {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
  if (role) {labels[`node-role.kubernetes.io/${role}`] = '';}
  state.store.create('nodes', {
    metadata: orderMeta({ name, creationTimestamp: rfc3339(state.now() - 40 * DAY), labels }),
    spec: { podCIDR: '10.244.0.0/24' },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }], nodeInfo: { kubeletVersion: version, operatingSystem: 'linux', architecture: 'amd64' } },
  });
}

let podIp = 10;
function pod(state: State, namespace: string, name: string, saName: string, nodeName: string | undefined, labels: Record<string, string> = {}): void {
  const running = !!nodeName;
  state.store.create('pods', {
    metadata: orderMeta({ name, namespace, creationTimestamp: rfc3339(state.now() - 2 * DAY), labels }),
    spec: {
      containers: [{ name: 'main', image: 'registry.example/app:1.0' }],
      serviceAccountName: saName,
      serviceAccount: saName,
      ...(nodeName ? { nodeName } : {}),
    },
    status: running ? { phase: 'Running', hostIP: '10.0.0.10', podIP: `10.244.1.${podIp++ % 250}`, startTime: rfc3339(state.now() - 2 * DAY) } : { phase: 'Pending' },
  });
}

function secret(state: State, namespace: string, name: string, type: string, data: Record<string, string>, meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): KObject {
  return state.store.create('secrets', {
    metadata: orderMeta({ name, namespace, creationTimestamp: rfc3339(state.now() - 30 * DAY), labels: meta.labels, annotations: meta.annotations }),
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  });
}

function legacySecret(state: State, namespace: string, name: string, saObj: KObject, labels: Record<string, string>): void {
  const s = secret(state, namespace, name, 'kubernetes.io/service-account-token', {}, {
    labels,
    annotations: { 'kubernetes.io/service-account.name': saObj.metadata.name, 'kubernetes.io/service-account.uid': saObj.metadata.uid },
  });
  s.data = legacyTokenSecretData(state, saObj, s);
}

export function loadDemo(state: State): void {
  const version = `v1.${state.cfg.minor}.0`;
  node(state, 'control-plane', 'control-plane', version);
  node(state, 'worker-1', undefined, version);
  node(state, 'worker-2', undefined, version);
  const spaces: [string, number][] = [['default', 60], ['kube-system', 60], ['kube-public', 60], ['kube-node-lease', 60], ['build', 30], ['payments', 20], ['ml-platform', 10], ['web', 5]];
  for (const [n, age] of spaces) {
    ns(state, n, age);
    sa(state, n, 'default', age);
  }
  ns(state, 'decommissioned', 90, true);
  sa(state, 'decommissioned', 'default', 90);
  for (const n of ['coredns', 'kube-proxy', 'replicaset-controller', 'namespace-controller', 'token-cleaner']) {sa(state, 'kube-system', n, 60);}

  // build: CI on AWS (IRSA)
  const ciBot = sa(state, 'build', 'ci-bot', 25, {
    annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ci-bot', 'eks.amazonaws.com/token-expiration': '86400' },
    labels: { team: 'platform', 'app.kubernetes.io/name': 'ci' },
    secrets: ['ci-bot-token'],
    imagePullSecrets: ['registry-creds'],
    automount: false,
  });
  const deployer = sa(state, 'build', 'deployer', 12, { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/deployer', 'eks.amazonaws.com/sts-regional-endpoints': 'true' }, labels: { team: 'platform' } });
  sa(state, 'build', 'builder', 3, { labels: { team: 'platform' } });
  // payments: GKE Workload Identity + Azure
  sa(state, 'payments', 'payments-api', 18, { annotations: { 'iam.gke.io/gcp-service-account': 'payments-api@acme-prod.iam.gserviceaccount.com' }, labels: { team: 'payments' } });
  const ledger = sa(state, 'payments', 'ledger', 15, {
    annotations: { 'azure.workload.identity/client-id': '4a1c2b3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'azure.workload.identity/tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47' },
    labels: { 'azure.workload.identity/use': 'true', team: 'payments' },
  });
  // ml-platform: mixed
  sa(state, 'ml-platform', 'trainer', 9, { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::444455556666:role/ml-trainer' }, labels: { team: 'ml' } });
  sa(state, 'ml-platform', 'notebook', 7, { annotations: { 'iam.gke.io/gcp-service-account': 'notebook@acme-ml.iam.gserviceaccount.com' }, labels: { team: 'ml' } });
  // web: Azure
  sa(state, 'web', 'frontend', 4, { annotations: { 'azure.workload.identity/client-id': '9b8a7c6d-5e4f-4321-8abc-def012345678' }, labels: { 'azure.workload.identity/use': 'true', team: 'web' } });
  sa(state, 'web', 'cdn-purger', 2, { labels: { team: 'web' } });

  pod(state, 'build', 'runner-7', 'ci-bot', 'worker-1', { app: 'runner' });
  pod(state, 'build', 'runner-8', 'ci-bot', undefined, { app: 'runner' });
  pod(state, 'build', 'deploy-5d9c7', 'deployer', 'worker-2', { app: 'deploy' });
  pod(state, 'payments', 'payments-api-7f9b6-x2k4p', 'payments-api', 'worker-1', { app: 'payments-api' });
  pod(state, 'payments', 'ledger-0', 'ledger', 'worker-2', { app: 'ledger' });
  // scheduled on a node that no longer exists: the node uid is dropped from tokens
  pod(state, 'ml-platform', 'trainer-0', 'trainer', 'gpu-node-gone', { app: 'trainer' });
  pod(state, 'web', 'frontend-6c8d9-abcde', 'frontend', 'worker-1', { app: 'frontend' });
  pod(state, 'kube-system', 'coredns-5d78c9869d-q7x2m', 'coredns', 'control-plane', { 'k8s-app': 'kube-dns' });

  legacySecret(state, 'build', 'ci-bot-token', ciBot, { 'kubernetes.io/legacy-token-last-used': '2026-01-10' });
  legacySecret(state, 'build', 'deployer-token-legacy', deployer, {});
  legacySecret(state, 'payments', 'ledger-token-old', ledger, { 'kubernetes.io/legacy-token-last-used': '2025-06-02', 'kubernetes.io/legacy-token-invalid-since': '2025-09-01' });
  secret(state, 'build', 'registry-creds', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{"auths":{"registry.example":{"auth":"Y2k6c2VjcmV0"}}}' });
  secret(state, 'build', 'vault-config', 'Opaque', { address: 'https://vault.example:8200' });
  secret(state, 'web', 'frontend-tls', 'kubernetes.io/tls', { 'tls.crt': '-----BEGIN CERTIFICATE-----\n...', 'tls.key': '-----BEGIN PRIVATE KEY-----\n...' });
}

export function loadScale(state: State): void {
  const { namespaces, serviceAccountsPerNamespace, podsPerNamespace } = state.cfg.scale;
  const nodes = Math.max(1, Math.ceil(namespaces / 50));
  const version = `v1.${state.cfg.minor}.0`;
  for (let i = 0; i < nodes; i++) {node(state, `scale-node-${String(i).padStart(3, '0')}`, undefined, version);}
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
