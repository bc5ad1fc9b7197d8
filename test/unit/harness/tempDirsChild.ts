// Child process of tempDirs.test.ts: one bundle, so the folder registry and the process registry are the ones the harness uses.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { spawnGroup, stopAllOnExit } from '../../harness/processes';
import { claimTempRun, makeTempDir, removeTempDir, removeTempDirs } from '../../harness/tempDirs';

function report(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

const scenario = process.argv[2];
if (scenario === 'leftovers') {
  // Makers that forget a folder, here and in another bundle (as each test file is): the registry names them and removes them.
  const kept = makeTempDir('kept');
  const removed = makeTempDir('removed');
  removeTempDir(removed);
  const loadBundle = createRequire(__filename);
  const otherBundle = loadBundle(join(__dirname, '..', '..', 'harness', 'tempDirs.js')) as { makeTempDir(purpose: string): string };
  const keptByOtherBundle = otherBundle.makeTempDir('other-bundle');
  report({ kept, removed, keptByOtherBundle, leftovers: removeTempDirs() });
} else if (scenario === 'signal') {
  // A process using its folder when the harness is stopped: the process goes first, then the folder.
  stopAllOnExit();
  const dir = makeTempDir('signal');
  const child = spawnGroup('sleep', ['600'], { cwd: dir, stdio: 'ignore' });
  report({ dir, pid: child.pid });
  setInterval(() => undefined, 60_000);
} else if (scenario === 'owner') {
  // The run's owner sweeps what a child it started could not remove (the child died without cleaning up).
  claimTempRun();
  const child = spawn(process.execPath, [__filename, 'abandon'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.once('exit', () => {
    const abandoned = (JSON.parse(out) as { dir: string }).dir;
    report({ abandoned: basename(abandoned), swept: removeTempDirs() });
  });
} else if (scenario === 'abandon') {
  report({ dir: makeTempDir('abandoned') });
  process.kill(process.pid, 'SIGKILL');
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
