import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { suite, test } from 'mocha';
import { Log } from '../../src/platform/log';
import { podBoundJwt } from '../fixtures/tokenShapes';
import { activeApi, filesUnder, waitFor } from './requestTokenHelpers';

suite('Log: the real log file', () => {
  test('Log.error writes an error\'s detail redacted: a plain Error, its cause and an object, in VS Code\'s own log file', async () => {
    const logsDir = (await activeApi()).requestTokenTesting.logsDir;
    const signature = podBoundJwt.split('.')[2]!;
    const marker = `log-check-${Date.now().toString(36)}`;
    const log = new Log(vscode.window.createOutputChannel('Kubernetes ServiceAccount Tokens log check', { log: true }));
    try {
      log.error(`${marker} plain`, new Error(`the server said: token ${podBoundJwt}`));
      log.error(`${marker} cause`, new Error('write failed', { cause: new Error(`while writing ${podBoundJwt}`) }));
      log.error(`${marker} object`, { token: podBoundJwt, body: `Bearer ${podBoundJwt}` });
      const file = await waitFor('the three lines in a log file', () =>
        filesUnder(logsDir).find((f) => (fs.readFileSync(f, 'utf8').match(new RegExp(marker, 'g')) ?? []).length === 3));
      const content = fs.readFileSync(file, 'utf8');
      assert.match(content, /the server said: token/);
      assert.ok(!content.includes(signature), `a token in ${file}:\n${content}`);
    } finally {
      log.dispose();
    }
  });
});
