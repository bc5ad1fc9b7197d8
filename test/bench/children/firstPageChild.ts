/**
 * Child of the "first tree page, cold" row: a fresh Node process (like an extension host that just
 * activated, its Node built-ins loaded) shows the first page of namespaces and the first namespace's service accounts.
 * `kube`: load dist/kube/index.js lazily, read the kubeconfig, list through the kube layer.
 * `raw`: node:https straight to the server, with the kubeconfig's credentials. Prints `{"ms":..., "namespaces":..., "serviceAccounts":...}`.
 */
import { readSandboxEnv } from '../../harness/sandboxEnv';
import { preloadHostBuiltins } from './hostBuiltins';
import { loadKubeBundle } from '../kubeModule';
import { kubeconfigCredential, RawKube } from '../rawKube';

async function main(): Promise<void> {
  const mode = process.argv[2];
  const sandbox = readSandboxEnv();
  // The peer is handed the kubeconfig's credentials; the kube layer reads them inside the measurement.
  const credential = kubeconfigCredential(sandbox.kubeconfigPath);
  preloadHostBuiltins();
  const start = process.hrtime.bigint();
  let namespaces: number;
  let serviceAccounts: number;
  if (mode === 'kube') {
    const kube = loadKubeBundle();
    const client = kube.createClusterClient(kube.loadKubeconfig({ paths: sandbox.kubeconfigPath }));
    const ns = await client.listNamespaces({ limit: 500 });
    const sas = await client.listServiceAccounts({ namespace: ns.items[0].name, limit: 500 });
    namespaces = ns.items.length;
    serviceAccounts = sas.items.length;
    client.dispose();
  } else {
    const raw = new RawKube(sandbox.url, sandbox.caPem, credential);
    const ns = await raw.get('/api/v1/namespaces?limit=500');
    const first = ((ns.items as { metadata: { name: string } }[])[0]).metadata.name;
    const sas = await raw.get(`/api/v1/namespaces/${first}/serviceaccounts?limit=500`);
    namespaces = (ns.items as unknown[]).length;
    serviceAccounts = (sas.items as unknown[]).length;
    raw.dispose();
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ ms, namespaces, serviceAccounts }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
