// Every temp folder the tests make goes through here: named `sa-tokens-<run tag>-<purpose>-XXXXXX` and
// recorded, so its maker removes it (after stopping the processes that use it) and a run can tell
// exactly which entries of the temp dir are its own, even while another run shares the machine.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { processWide } from './processWide';

export const tempPrefix = 'sa-tokens-';

/** Names the run; inherited by every process the run starts (layers, code-server and its extension host). */
const runTagEnvVar = 'SA_TOKENS_TEMP_RUN';

interface TempRegistry {
  /** Folders made in this process and not removed yet. */
  readonly made: Set<string>;
  /** Set in the run's owner: the run's entries that were already there when it began. */
  ownedRun?: { readonly entriesAtStart: ReadonlySet<string> };
}

/** Shared by every bundle in the process: the runner removes what a test file's suites left. */
const registry = processWide<TempRegistry>('tempDirs', () => ({ made: new Set() }));

function runTag(): string {
  // A process started outside a runner (mocha by hand, the sandbox CLI) tags its own folders.
  return (process.env[runTagEnvVar] ??= randomBytes(3).toString('hex'));
}

function runPrefix(): string {
  return `${tempPrefix}${runTag()}-`;
}

/**
 * Called first by a top-level runner (runAll, or a layer runner started alone), before it starts any
 * process: tags the run, and makes this process the one that sweeps the run's leftovers. A runner
 * started by another runner inherits the tag and leaves the sweeping to it.
 */
export function claimTempRun(): void {
  if (process.env[runTagEnvVar] !== undefined) {
    return;
  }
  runTag();
  registry.ownedRun = { entriesAtStart: new Set(runTempEntries()) };
}

/** Makes an empty folder in the system temp dir (or in `parent`) and records it for removal. */
export function makeTempDir(purpose: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, `${runPrefix()}${purpose}-`));
  registry.made.add(dir);
  return dir;
}

/** Removes a folder made by makeTempDir; stop the processes that use it first. */
export function removeTempDir(dir: string): void {
  removeQuietly(dir);
  registry.made.delete(dir);
}

/** The names of this run's entries in the system temp dir right now. */
export function runTempEntries(): string[] {
  const prefix = runPrefix();
  try {
    return readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
}

/** Removes this run's entries that were not there at `before` (they are the run's, by their tag); returns their names. */
export function removeRunEntriesSince(before: Iterable<string>): string[] {
  const old = new Set(before);
  const leaked = runTempEntries().filter((name) => !old.has(name));
  for (const name of leaked) {
    removeQuietly(join(tmpdir(), name));
  }
  return leaked;
}

/**
 * Removes every folder this process made and has not removed, and in the run's owner every entry of
 * the run a child left (one it had to kill). Returns their names: on a normal end, each one is a leak.
 * Synchronous, so it also works in an `exit` handler; stop the processes first.
 */
export function removeTempDirs(): string[] {
  const left = [...registry.made].map((dir) => basename(dir));
  for (const dir of [...registry.made]) {
    removeTempDir(dir);
  }
  const swept = registry.ownedRun === undefined ? [] : removeRunEntriesSince(registry.ownedRun.entriesAtStart);
  return [...new Set([...left, ...swept])];
}

function removeQuietly(path: string): void {
  try {
    // Retries: a process killed a moment ago may still be closing files in it.
    rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch {
    // Whatever is left is reported by the run's leak check.
  }
}
