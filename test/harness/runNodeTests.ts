import { join } from 'node:path';
import { runLayerMain } from './layerResult';
import { distDir } from './paths';
import { runMochaFiles } from './runMocha';
import { stopAllOnExit } from './processes';

/** Unit tests (pure code) and cluster tests (kube layer, sandbox conformance with the real kubectl), in Node. */
export function runNodeTests() {
  stopAllOnExit();
  return runMochaFiles('node', [join(distDir, 'test', 'unit'), join(distDir, 'test', 'cluster')], '.test.js', { timeoutMs: 60_000 });
}

if (require.main === module) {
  runLayerMain(runNodeTests);
}
