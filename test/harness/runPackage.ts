import { join } from 'node:path';
import { runLayerMain } from './layerResult';
import { distDir, repoRoot } from './paths';
import { run } from './processes';
import { runMochaFiles } from './runMocha';

/** Packages the VSIX exactly as `npm run package` does, then checks its contents. */
async function runPackage() {
  await run('npm', ['run', 'package'], { cwd: repoRoot, env: process.env, timeoutMs: 5 * 60_000 });
  return runMochaFiles('package', [join(distDir, 'test', 'package')], '.test.js');
}

if (require.main === module) {
  runLayerMain(runPackage);
}
