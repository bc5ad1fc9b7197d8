import { join, resolve } from 'node:path';

/** The bench runs from dist/test/bench/*.js; everything resolves from the repository root. */
export const repoRoot = resolve(__dirname, '..', '..', '..');
export const distDir = join(repoRoot, 'dist');
export const benchDist = join(distDir, 'test', 'bench');
export const resultsDir = join(repoRoot, 'bench-results');
/** The empty peer extension is plain JS, used straight from the source tree. */
export const emptyExtensionDir = join(repoRoot, 'test', 'bench', 'emptyExtension');
export const kubectlPath = process.env.BENCH_KUBECTL ?? '/usr/bin/kubectl';
