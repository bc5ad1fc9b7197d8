import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnGroup, stopAll, stopAllOnExit } from './processes';
import { withLeakedTempEntries, type LayerResult } from './layerResult';
import { resultsDir, repoRoot } from './paths';
import { claimTempRun, removeRunEntriesSince, runTempEntries } from './tempDirs';
import { assertModernNode, ensureCodeServer, log } from './toolchain';

/** Each layer runs in its own Node process, so one layer's crash or stray handle cannot take the others down. */
const layers: { layer: string; command: string; args: string[]; env?: Record<string, string> }[] = [
  { layer: 'node', command: process.execPath, args: ['dist/test/harness/runNodeTests.js'] },
  { layer: 'integration', command: process.execPath, args: ['dist/test/harness/runIntegration.js'] },
  { layer: 'e2e', command: process.execPath, args: ['dist/test/harness/runE2e.js'] },
  { layer: 'package', command: process.execPath, args: ['dist/test/harness/runPackage.js'] },
  // Not a test of speed (it asserts nothing about numbers): a quick run proves `npm run bench` still works.
  { layer: 'bench', command: process.execPath, args: ['dist/test/bench/runBench.js'], env: { BENCH_QUICK: '1' } },
];

async function main(): Promise<number> {
  assertModernNode();
  // Before any layer starts: every layer inherits the run's tag, so what they leave is found exactly.
  claimTempRun();
  stopAllOnExit();
  rmSync(resultsDir, { recursive: true, force: true });
  await ensureCodeServer(); // one-time install, before any layer's clock starts
  const results: LayerResult[] = [];
  for (const { layer, command, args, env } of layers) {
    log(`── ${layer} ──`);
    const entriesBefore = runTempEntries();
    const child = spawnGroup(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
    const code = await child.exited;
    await child.stop();
    const file = join(resultsDir, `${layer}.json`);
    let result: LayerResult;
    if (existsSync(file)) {
      result = JSON.parse(readFileSync(file, 'utf8')) as LayerResult;
    } else if (layer === 'bench') {
      result = { layer, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, failures: code === 0 ? [] : [`npm run bench failed (exit ${code})`] };
    } else {
      result = { layer, passed: 0, failed: 1, failures: [`${layer} layer crashed (exit ${code}) before reporting`] };
    }
    // The layer removed its own folders; what is left with the run's tag came from a process it had to kill.
    results.push(withLeakedTempEntries(result, removeRunEntriesSince(entriesBefore)));
  }
  await stopAll();
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  process.stdout.write('\n');
  for (const r of results) {
    process.stdout.write(`${r.layer.padEnd(12)} ${r.passed} passed, ${r.failed} failed\n`);
    for (const f of r.failures) {
      process.stdout.write(`  ✗ ${f}\n`);
    }
  }
  process.stdout.write(`temp entries left behind: ${results.reduce((n, r) => n + (r.leakedTempEntries?.length ?? 0), 0)}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    await stopAll();
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
