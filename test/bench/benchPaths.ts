import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder up from this bundle (dist/test/bench/**) with our package.json. */
function findRepoRoot(start: string): string {
  for (let dir = start; dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kube-sa-tokens') {
      return dir;
    }
  }
  throw new Error(`no kube-sa-tokens package.json above ${start}`);
}

export const repoRoot = findRepoRoot(__dirname);
export const distDir = join(repoRoot, 'dist');
export const benchDist = join(distDir, 'test', 'bench');
export const resultsDir = join(repoRoot, 'bench-results');
/** The empty peer extension is plain JS, used straight from the source tree. */
export const emptyExtensionDir = join(repoRoot, 'test', 'bench', 'emptyExtension');
