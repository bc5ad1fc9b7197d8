import { join } from 'node:path';
import { stopAll, stopAllOnExit } from '../harness/processes';
import { claimTempRun, removeTempDirs } from '../harness/tempDirs';
import { readBenchConfig, type BenchConfig } from './benchConfig';
import { resultsDir } from './benchPaths';
import { BenchReport } from './benchReport';
import { accessRows } from './rows/accessRows';
import { activationRows } from './rows/activationRows';
import { bundleRows } from './rows/bundleRows';
import { clusterRows } from './rows/clusterRows';
import { idleRows } from './rows/idleRows';
import { requireRows } from './rows/requireRows';
import { verifyRows } from './rows/verifyRows';
import { buildShipped, type ShippedBuild } from './shippedBuild';
import { kubeBundleEnvVar } from './kubeModule';

/**
 * `npm run bench`: every figure the issues name, each against a peer measured in the same run. It is a
 * benchmark, not a test: budgets are reported (PASS/MISS), never enforced. It exits non-zero only when a
 * section could not run at all (something is broken).
 */
interface Section {
  readonly id: string;
  run(report: BenchReport, config: BenchConfig, shipped: ShippedBuild): Promise<void>;
}

const sections: Section[] = [
  { id: 'bundle', run: (r, _c, shipped) => bundleRows(r, shipped) },
  { id: 'require', run: (r, c, shipped) => requireRows(r, c, shipped) },
  { id: 'verify', run: verifyRows },
  { id: 'idle', run: idleRows },
  { id: 'cluster', run: (r, c) => clusterRows(r, c, log) },
  { id: 'access', run: (r, c) => accessRows(r, c, log) },
  { id: 'activation', run: (r, c, shipped) => activationRows(r, c, shipped, log) },
];

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  claimTempRun();
  stopAllOnExit();
  const config = readBenchConfig();
  const report = new BenchReport();
  const started = Date.now();
  // Load times are the shipped build's (minified), as users run it; the children inherit the path.
  const shipped = await buildShipped();
  process.env[kubeBundleEnvVar] = join(shipped.distDir, 'kube', 'index.js');
  for (const section of sections) {
    if (config.only && !config.only.test(section.id)) {
      continue;
    }
    const t0 = Date.now();
    log(`${section.id} …`);
    try {
      await section.run(report, config, shipped);
    } catch (error) {
      report.fail(section.id, error);
    } finally {
      await stopAll();
    }
    log(`${section.id} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  shipped.dispose();
  // Each section removes its temp folders; one still there is a broken section.
  const leaked = removeTempDirs();
  log(`${leaked.length} temp entries left behind`);
  if (leaked.length > 0) {
    report.fail('temp folders', new Error(`left behind (now removed): ${leaked.join(', ')}`));
  }
  process.stdout.write(`${report.format(config)}\n`);
  const file = report.writeJson(resultsDir, config, {
    date: new Date().toISOString(),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  });
  process.stdout.write(`\nJSON: ${file} (${Math.round((Date.now() - started) / 1000)} s)\n`);
  process.exitCode = report.failures.length > 0 ? 1 : 0;
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
