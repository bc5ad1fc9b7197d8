import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { distDir } from '../harness/paths';
import { spawnGroup, type GroupProcess } from '../harness/processes';
import { waitFor } from '../harness/waitFor';
import { requestTokenByKeyboard } from './tokenFlows';
import { toast } from './locators';
import { openWorkbench, type Workbench } from './workbench';

/**
 * The README's demo command (`npm run sandbox`, here its built script): the workbench a user opens from it
 * has the extension installed and shows notification toasts, as the user's own VS Code does.
 */
suite('The demo workbench (UI)', () => {
  let demo: GroupProcess;
  let workbench: Workbench;
  let output = '';

  suiteSetup(async () => {
    demo = spawnGroup(process.execPath, [join(distDir, 'test', 'harness', 'sandbox.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    demo.child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    demo.child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const url = await waitFor('the demo to print its workbench URL', () => /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(output)?.[1], 120_000, {
      lastSeen: () => output.slice(-2000),
    });
    workbench = await openWorkbench({ url });
  });

  suiteTeardown(async () => {
    try {
      await workbench?.close();
    } finally {
      await demo?.stop();
    }
  });

  test('a token requested in the demo ends in a toast on screen, not only a dot on the bell', async () => {
    const page = workbench.page;
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await page.locator('.pane .monaco-list-row', { hasText: 'sandbox-admin' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    await requestTokenByKeyboard(workbench, 'build', 'builder', '10 minutes');
    const issued = toast(workbench, 'Token issued for build/builder');
    try {
      await issued.waitFor({ state: 'visible', timeout: 60_000 });
    } catch (error) {
      await workbench.screenshot('demo-token-issued-failure');
      throw error;
    }
    assert.match((await issued.innerText()).replace(/\s+/g, ' '), /Token issued for build\/builder \(context sandbox-admin\): valid 10m/);
    await issued.hover();
    await workbench.screenshot('demo-token-issued');
  });
});
