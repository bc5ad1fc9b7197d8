import { resolve } from 'node:path';

/** Harness scripts run from dist/test/harness/*.js; everything is resolved from the repository root. */
export const repoRoot = resolve(__dirname, '..', '..', '..');
export const distDir = resolve(repoRoot, 'dist');
export const toolsDir = resolve(repoRoot, '.vscode-test');
export const resultsDir = resolve(repoRoot, 'test-results');
