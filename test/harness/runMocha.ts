import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { failureLine, type LayerResult } from './layerResult';

/** Runs bundled mocha (tdd) files in this Node process and counts the outcome. */
export async function runMochaFiles(layer: string, dirs: string[], suffix: string, options: { timeoutMs?: number } = {}): Promise<LayerResult> {
  const grep = process.env.SA_TOKENS_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', timeout: options.timeoutMs ?? 30_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      continue;
    }
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
      if (file.endsWith(suffix)) {
        mocha.addFile(join(dir, file));
      }
    }
  }
  const failures: string[] = [];
  let passed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('fail', (test, error) => failures.push(failureLine(test.fullTitle(), error)));
  });
  return { layer, passed, failed: failures.length, failures };
}
