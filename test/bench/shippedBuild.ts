import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../harness/processes';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { repoRoot } from './benchPaths';

/** The extension as the VSIX ships it: manifest, documents, media and the production build. */
export interface ShippedBuild {
  /** An extension folder (package.json at its root) that VS Code can load as is. */
  readonly dir: string;
  readonly distDir: string;
  dispose(): void;
}

/** Files besides dist/ that the VSIX carries (see .vscodeignore). */
const shippedFiles = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media'];

/**
 * Builds the production bundles (`build:prod` flags: minified, no source maps) into a temporary
 * extension folder, so speed rows measure the code users run and the bench never rewrites the
 * shared dist/ others are testing with. The esbuild command lines come from package.json, so they
 * cannot drift from the real build.
 */
export async function buildShipped(): Promise<ShippedBuild> {
  const dir = makeTempDir('bench-shipped');
  try {
    for (const name of shippedFiles) {
      if (existsSync(join(repoRoot, name))) {
        cpSync(join(repoRoot, name), join(dir, name), { recursive: true });
      }
    }
    const distDir = join(dir, 'dist');
    const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const esbuild = join(repoRoot, 'node_modules', '.bin', 'esbuild');
    const args = (script: string) =>
      script
        .replace(/^esbuild\s+/, '')
        .match(/"[^"]*"|\S+/g)!
        .map((a) => a.replace(/^"|"$/g, ''))
        .filter((a) => !a.startsWith('--sourcemap'))
        .map((a) => a.replace(/^--outdir=dist$/, `--outdir=${distDir}`).replace(/^--outfile=dist\//, `--outfile=${distDir}/`));
    for (const script of ['build:ext', 'build:kube', 'build:lazy']) {
      await run(esbuild, [...args(scripts[script]!), '--minify', '--log-level=warning'], { cwd: repoRoot, timeoutMs: 120_000 });
    }
    await run(esbuild, [...args(scripts['build:webview']), '--minify', '--log-level=warning'], { cwd: repoRoot, timeoutMs: 120_000 });
    return { dir, distDir, dispose: () => removeTempDir(dir) };
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}
