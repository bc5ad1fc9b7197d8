import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from '../../harness/processes';
import { makeTempDir, removeTempDir } from '../../harness/tempDirs';
import type { BenchReport } from '../benchReport';
import { distDir, repoRoot } from '../benchPaths';
import type { ShippedBuild } from '../shippedBuild';

const section = 'bundle';

function sizes(file: string): { raw: number; gzip: number } {
  const data = readFileSync(file);
  return { raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

/** Files (not maps) of a dist tree that ship: extension.js, kube/index.js, the libraries loaded on first use, webview/*. */
function shippedFiles(root: string): { label: string; files: string[] }[] {
  const webviewDir = join(root, 'webview');
  const webview = existsSync(webviewDir)
    ? readdirSync(webviewDir)
        .filter((f) => !f.endsWith('.map'))
        .map((f) => join(webviewDir, f))
    : [];
  return [
    { label: 'dist/extension.js', files: [join(root, 'extension.js')] },
    { label: 'dist/kube/index.js', files: [join(root, 'kube', 'index.js'), join(root, 'kube', 'gen', 'index.js')] },
    { label: 'dist/jose.js, yaml.js, kube/socks.js (each on first use)', files: [join(root, 'jose.js'), join(root, 'yaml.js'), join(root, 'kube', 'socks.js')] },
    { label: 'dist/webview/*', files: webview },
  ];
}

function total(files: string[]): { raw: number; gzip: number } {
  return files.filter((f) => existsSync(f)).reduce((acc, f) => {
    const s = sizes(f);
    return { raw: acc.raw + s.raw, gzip: acc.gzip + s.gzip };
  }, { raw: 0, gzip: 0 });
}

/** Packages a VSIX from a copy of the shipped build (vsce writes into the folder it packages). */
async function packageVsix(stage: string, shipped: ShippedBuild): Promise<string> {
  cpSync(shipped.dir, stage, { recursive: true });
  const out = join(stage, 'bench.vsix');
  await run(join(repoRoot, 'node_modules', '.bin', 'vsce'), [
      'package', '--no-dependencies', '--allow-missing-repository', '--skip-license',
      // Only rewrites README links inside the VSIX; without a repository field vsce refuses relative images.
      '--baseContentUrl', 'https://example.invalid/kube-sa-tokens', '--baseImagesUrl', 'https://example.invalid/kube-sa-tokens',
      '--out', out,
    ], {
    cwd: stage,
    timeoutMs: 180_000,
  });
  return out;
}

export async function bundleRows(report: BenchReport, shipped: ShippedBuild): Promise<void> {
  const tmp = makeTempDir('bench-bundle');
  try {
    const dev = shippedFiles(distDir);
    const prod = shippedFiles(shipped.distDir);
    for (let i = 0; i < dev.length; i++) {
      const p = total(prod[i].files);
      const d = total(dev[i].files);
      report.addRow({
        section,
        figure: dev[i].label,
        unit: 'bytes',
        better: 'lower',
        subject: 'production (minified)',
        peers: ['production, gzip -9', 'dev build (npm run build)', 'dev build, gzip -9'],
        samples: new Map([
          ['production (minified)', [p.raw]],
          ['production, gzip -9', [p.gzip]],
          ['dev build (npm run build)', [d.raw]],
          ['dev build, gzip -9', [d.gzip]],
        ]),
        noRatio: true,
      });
    }
    try {
      const vsix = await packageVsix(join(tmp, 'stage'), shipped);
      report.addRow({
        section,
        figure: 'VSIX (vsce package of the production build)',
        unit: 'bytes',
        better: 'lower',
        subject: 'vsix',
        samples: new Map([['vsix', [statSync(vsix).size]]]),
      });
    } catch (error) {
      report.fail(`${section}: VSIX`, error);
    }
  } finally {
    removeTempDir(tmp);
  }
}
