/**
 * Child of the memory row (run with --expose-gc): heap growth, after a full GC, from browsing the whole
 * scale fixture — every service account listed and kept, as a fully expanded tree would keep them.
 * `kube`: through the kube layer (summaries); `raw`: node:https keeping the parsed API objects.
 * Prints `{"moduleBytes":..., "dataBytes":..., "count":...}`. An approximation in Node of the
 * extension host's heap, clearly not the host itself.
 */
import { readSandboxEnv } from '../../harness/sandboxEnv';
import { loadKubeBundle } from '../kubeModule';
import { RawKube } from '../rawKube';

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  if (!gc) {
    throw new Error('run with --expose-gc');
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const sandbox = readSandboxEnv();
  const base = heapAfterGc();
  const kept: unknown[] = [];
  let moduleBytes = 0;
  if (mode === 'kube') {
    const kube = loadKubeBundle();
    const client = kube.createClusterClient(kube.loadKubeconfig({ paths: sandbox.kubeconfigPath }));
    moduleBytes = heapAfterGc() - base;
    const afterLoad = heapAfterGc();
    for await (const page of client.walkServiceAccounts()) {
      kept.push(...page);
    }
    const dataBytes = heapAfterGc() - afterLoad;
    process.stdout.write(JSON.stringify({ moduleBytes, dataBytes, count: kept.length }));
    client.dispose();
  } else {
    const raw = RawKube.of(sandbox);
    const afterLoad = heapAfterGc();
    await raw.listAll('/api/v1/serviceaccounts', (items) => kept.push(...items));
    const dataBytes = heapAfterGc() - afterLoad;
    process.stdout.write(JSON.stringify({ moduleBytes, dataBytes, count: kept.length }));
    raw.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
