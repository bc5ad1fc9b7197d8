import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { suite, test } from 'mocha';
import { repoRoot } from '../../harness/paths';
import { tempPrefix } from '../../harness/tempDirs';

const child = join(__dirname, 'tempDirsChild.js');

/** Starts the child scenario and resolves with its first JSON line (and the child, still running or not). */
function startChild(scenario: string, env: NodeJS.ProcessEnv = process.env): Promise<{ value: any; exited: Promise<number | null>; pid: number }> {
  const proc = spawn(process.execPath, [child, scenario], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        resolve({ value: JSON.parse(line), exited, pid: proc.pid! });
      }
    });
    void exited.then((code) => reject(new Error(`${scenario} exited with ${code} before reporting`)));
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

suite('harness: temp folders', () => {
  test('a folder is named for the run and its purpose; ones their makers forgot, in any bundle, are named and removed at the end', async () => {
    const { value } = await startChild('leftovers');
    const kept = basename(value.kept as string);
    assert.match(kept, new RegExp(`^${tempPrefix}[0-9a-f]{6}-kept-`));
    assert.ok(!existsSync(value.removed as string), 'removed by its maker');
    assert.deepEqual(value.leftovers, [kept, basename(value.keptByOtherBundle as string)]);
    assert.ok(!existsSync(value.kept as string) && !existsSync(value.keptByOtherBundle as string), 'removed by the registry');
  });

  test('on SIGTERM the process using a folder is stopped, then the folder is removed', async () => {
    const { value, exited, pid } = await startChild('signal');
    assert.ok(existsSync(value.dir as string));
    assert.ok(isRunning(value.pid as number));
    process.kill(pid, 'SIGTERM');
    await exited;
    assert.ok(!isRunning(value.pid as number), 'the process it started is gone');
    assert.ok(!existsSync(value.dir as string), 'its folder is gone');
  });

  test('the run\'s owner sweeps what a killed child left, and never touches another run\'s entries', async () => {
    const otherRun = join(tmpdir(), `${tempPrefix}0ther0-concurrent-run`);
    mkdirSync(otherRun, { recursive: true });
    try {
      const env = { ...process.env };
      delete env.SA_TOKENS_TEMP_RUN; // a fresh run, owned by the child
      const { value } = await startChild('owner', env);
      assert.deepEqual(value.swept, [value.abandoned]);
      assert.ok(!existsSync(join(tmpdir(), value.abandoned as string)));
      assert.ok(existsSync(otherRun), 'another run\'s folder stays');
    } finally {
      rmSync(otherRun, { recursive: true, force: true });
    }
  });

  test('every temp folder of the tests goes through makeTempDir', () => {
    // Built from parts, so this file does not match itself.
    const adHoc = new RegExp(['\\bmkdtemp(Sync)?\\(', '\\btmpdir\\(\\)'].join('|'));
    const allowed = new Set([join('test', 'harness', 'tempDirs.ts'), join('test', 'unit', 'harness', 'tempDirs.test.ts')]);
    const offenders = tsFiles(join(repoRoot, 'test'))
      .map((file) => relative(repoRoot, file))
      .filter((file) => !allowed.has(file) && adHoc.test(readFileSync(join(repoRoot, file), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
