import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { processWide } from './processWide';
import { removeTempDirs } from './tempDirs';

/** A child started as the leader of its own process group, so stopping it also stops everything it forked. */
export interface GroupProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Every group this process started, whichever bundle started it, so the runner's exit hooks stop the test files' too. */
const running = processWide('runningGroups', () => new Set<GroupProcess>());

export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): GroupProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) {
    throw new Error(`could not start ${command}`);
  }
  const pid = child.pid;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let stopping: Promise<void> | undefined;
  const handle: GroupProcess = {
    pid,
    child,
    exited,
    stop() {
      // Still listed while it stops, so a Ctrl-C meanwhile waits for it (or kills it) rather than leaving it behind.
      stopping ??= (async () => {
        signalGroup(pid, 'SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
        // Helpers of the group may outlive the leader; always finish with SIGKILL on the whole group.
        signalGroup(pid, 'SIGKILL');
        if (!stopped) {
          await Promise.race([exited, delay(2000)]);
        }
        running.delete(handle);
      })();
      return stopping;
    },
  };
  running.add(handle);
  return handle;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Stops every group still running; safe to call from any exit path. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

const exitHooks = processWide('exitHooks', () => ({ installed: false }));
/**
 * Ensures children die with the harness on Ctrl-C, SIGTERM, uncaught errors and normal exit, and then
 * that the temp folders they used go too (killed first: Chromium and code-server keep files open there).
 */
export function stopAllOnExit(): void {
  if (exitHooks.installed) {
    return;
  }
  exitHooks.installed = true;
  process.once('exit', () => {
    for (const p of running) {
      signalGroup(p.pid, 'SIGKILL');
    }
    removeTempDirs();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      // exit runs the handler above once every child has stopped.
      void stopAll().finally(() => process.exit(130));
    });
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a command to completion, collecting output; rejects with the output on a non-zero exit. */
export function run(command: string, args: string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`${command} ${args.join(' ')} timed out after ${options.timeoutMs} ms`));
        }, options.timeoutMs)
      : undefined;
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ stdout, stderr });
      } else {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stderr || stdout}`));
      }
    });
  });
}
