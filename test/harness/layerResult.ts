import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../src/core/redact';
import { resultsDir } from './paths';
import { stopAll, stopAllOnExit } from './processes';
import { claimTempRun, removeTempDirs } from './tempDirs';
import { log } from './toolchain';

export interface LayerResult {
  layer: string;
  passed: number;
  failed: number;
  failures: string[];
  /** Temp entries the layer left behind (they are removed when found). */
  leakedTempEntries?: string[];
}

/**
 * A failed test as the run's summary names it: its title and the first line of why (CI keeps only the
 * end of a run's output, so the reason must be there too). Tokens in a message are redacted.
 */
export function failureLine(title: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? '');
  const firstLine = redact(message).split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  const reason = firstLine.length > 300 ? `${firstLine.slice(0, 299)}…` : firstLine;
  return reason === '' ? title : `${title}: ${reason}`;
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

function leakMessage(who: string, leaked: readonly string[]): string {
  return `${who} left ${leaked.length} temp ${leaked.length === 1 ? 'entry' : 'entries'} behind (now removed): ${leaked.join(', ')}`;
}

/** The layer's own check that it removed every temp folder it made: one passed test, or one failed test naming them. */
export function withTempFolderCheck(result: LayerResult, leaked: readonly string[]): LayerResult {
  log(`${result.layer}: ${leaked.length} temp entries left behind`);
  const checked = { ...result, leakedTempEntries: [...leaked] };
  return leaked.length === 0
    ? { ...checked, passed: result.passed + 1 }
    : { ...checked, failed: result.failed + 1, failures: [...result.failures, leakMessage(`the ${result.layer} layer`, leaked)] };
}

/** Entries of the run a layer's processes left after the layer itself had finished (found by the runner that started it). */
export function withLeakedTempEntries(result: LayerResult, leaked: readonly string[]): LayerResult {
  if (leaked.length === 0) {
    return result;
  }
  log(`${result.layer}: its processes left ${leaked.length} temp entries behind`);
  return {
    ...result,
    failed: result.failed + 1,
    failures: [...result.failures, leakMessage(`the ${result.layer} layer's processes`, leaked)],
    leakedTempEntries: [...(result.leakedTempEntries ?? []), ...leaked],
  };
}

/**
 * Runs a layer as a script's main: prints its summary and sets the exit code. Whatever the layer's
 * processes and temp folders, they are gone when it ends; a folder still there counts as a failed test.
 */
export function runLayerMain(run: () => Promise<LayerResult>): void {
  claimTempRun();
  stopAllOnExit();
  void (async () => {
    let result: LayerResult | undefined;
    try {
      result = await run();
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    }
    // Processes first: Chromium and code-server keep files open in their folders.
    await stopAll();
    const leaked = removeTempDirs();
    if (result === undefined) {
      if (leaked.length > 0) {
        log(leakMessage('the crashed layer', leaked));
      }
      process.exitCode = 1;
      return;
    }
    result = withTempFolderCheck(result, leaked);
    saveLayerResult(result);
    printSummary(result);
    process.exitCode = result.failed > 0 ? 1 : 0;
  })();
}
