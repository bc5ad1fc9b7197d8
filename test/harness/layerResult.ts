import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './paths';

export interface LayerResult {
  layer: string;
  passed: number;
  failed: number;
  failures: string[];
}

export function saveLayerResult(result: LayerResult): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${result.layer}.json`), JSON.stringify(result, null, 2));
}

export function printSummary(result: LayerResult): void {
  process.stdout.write(`\n[${result.layer}] ${result.passed} passed, ${result.failed} failed\n`);
  for (const failure of result.failures) {
    process.stdout.write(`  ✗ ${failure}\n`);
  }
}

/** Runs a layer as a script's main: prints its summary and sets the exit code. */
export function runLayerMain(run: () => Promise<LayerResult>): void {
  run()
    .then((result) => {
      saveLayerResult(result);
      printSummary(result);
      process.exitCode = result.failed > 0 ? 1 : 0;
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
