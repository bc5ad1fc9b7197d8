import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../harness/processes';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import type { BenchConfig } from '../benchConfig';
import type { BenchReport } from '../benchReport';
import { benchDist } from '../benchPaths';
import type { ShippedBuild } from '../shippedBuild';
import { interleave } from '../interleave';

const section = 'activation';

/** `require(module)` time in a fresh Node process (the project's Node 24), as the child measured it. */
export async function requireTimeMs(modulePath: string, preloadBuiltins = true): Promise<number> {
  const args = [join(benchDist, 'children', 'requireChild.js'), modulePath, ...(preloadBuiltins ? ['--preload-builtins'] : [])];
  const { stdout } = await run(process.execPath, args, { timeoutMs: 60_000 });
  return (JSON.parse(stdout) as { ms: number }).ms;
}

export async function requireRows(report: BenchReport, config: BenchConfig, shipped: ShippedBuild): Promise<void> {
  const tmp = makeTempDir('bench-require');
  try {
    const empty = join(tmp, 'empty.js');
    writeFileSync(empty, 'module.exports = {};\n');
    const extension = join(shipped.distDir, 'extension.js');
    const kube = join(shipped.distDir, 'kube', 'index.js');
    const samples = await interleave(
      [
        { name: 'dist/extension.js', run: () => requireTimeMs(extension) },
        { name: 'empty module', run: () => requireTimeMs(empty) },
        { name: 'dist/kube/index.js (lazy)', run: () => requireTimeMs(kube) },
        { name: 'dist/extension.js, cold Node', run: () => requireTimeMs(extension, false) },
        { name: 'empty module, cold Node', run: () => requireTimeMs(empty, false) },
      ],
      config,
    );
    const row = report.addRow({
      section,
      figure: 'require() of the shipped (minified) build in a fresh Node process, vscode stubbed, Node built-ins preloaded as in the extension host',
      unit: 'ms',
      better: 'lower',
      subject: 'dist/extension.js',
      peers: ['empty module', 'dist/kube/index.js (lazy)'],
      samples,
      note: 'kube/index.js is loaded on first cluster use, never at activation',
    });
    report.addRow({
      section,
      figure: 'require() in a cold Node process (built-ins not yet loaded: node:os, node:fs/promises are charged to the bundle)',
      unit: 'ms',
      better: 'lower',
      subject: 'dist/extension.js, cold Node',
      peers: ['empty module, cold Node'],
      samples,
    });
    const above = row.subject.summary.median - row.peers[0].summary.median;
    report.notes.push(`require(dist/extension.js) costs ${above.toFixed(2)} ms above an empty module (median); the lazily loaded kube layer would cost ${row.peers[1].summary.median.toFixed(1)} ms.`);
  } finally {
    removeTempDir(tmp);
  }
}
