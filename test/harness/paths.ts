import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The folder above this bundle (dist/test/<any depth>/x.js) that holds package.json. */
function findRepoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'harness'))) {return dir;}
  }
  throw new Error(`no repository root above ${__dirname}`);
}

/** Everything is resolved from the repository root, wherever the bundle that includes this runs. */
export const repoRoot = findRepoRoot();
export const distDir = resolve(repoRoot, 'dist');
export const toolsDir = resolve(repoRoot, '.vscode-test');
export const resultsDir = resolve(repoRoot, 'test-results');
