import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Mocha from 'mocha';
import { removeTempDirs } from '../harness/tempDirs';
import { dumpUiSurfaces, uiSurfacesFileName } from './uiSurfaces';

/**
 * Entry point the extension host loads through `extensionTestsPath` (code-server payload or
 * @vscode/test-electron). Runs every bundled integration suite with the real `vscode` module and
 * reports out of band, because a browser-hosted workbench has no stdout for the harness to read.
 */
export async function run(): Promise<void> {
  const resultFile = process.env.SA_TOKENS_TEST_RESULT;
  const grep = process.env.SA_TOKENS_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of readdirSync(__dirname, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.test.js')) {
      mocha.addFile(join(__dirname, file));
    }
  }
  const tests: { title: string; state: string; durationMs?: number; error?: string }[] = [];
  const report = (done: boolean, fatal?: string) => {
    if (!resultFile) {
      return;
    }
    const passed = tests.filter((t) => t.state === 'passed').length;
    const failed = tests.filter((t) => t.state === 'failed').length;
    writeFileSync(done ? resultFile : `${resultFile}.progress`, JSON.stringify({ done, passed, failed, tests, fatal }, null, 1));
  };
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => {
        tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
        report(false);
      });
      runner.on('fail', (test, error: Error) => {
        tests.push({ title: test.fullTitle(), state: 'failed', error: `${error.message}\n${error.stack ?? ''}`.slice(0, 4000) });
        report(false);
      });
    });
    if (resultFile) {
      await dumpUiSurfaces(join(dirname(resultFile), uiSurfacesFileName));
    }
    // The host is killed with code-server, so its suites' folders must be gone by now.
    const leftBehind = removeTempDirs();
    tests.push({
      title: 'the integration suites remove the temp folders they made',
      state: leftBehind.length === 0 ? 'passed' : 'failed',
      ...(leftBehind.length === 0 ? {} : { error: `left behind (now removed): ${leftBehind.join(', ')}` }),
    });
    report(true);
  } catch (error) {
    report(true, String(error instanceof Error ? error.stack : error));
    throw error;
  }
  const failed = tests.filter((t) => t.state === 'failed').length;
  if (failed > 0) {
    throw new Error(`${failed} integration test(s) failed`);
  }
}
