import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { openWorkbench, type Workbench } from './workbench';

suite('Foundation (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench();
  });

  suiteTeardown(async () => {
    await workbench?.updateSettings({ 'saTokens.kubeconfig': undefined });
    await workbench?.close();
  });

  test('the activity bar opens the Service Accounts view', async () => {
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    // A container with a single view shows the view's name as the side bar title instead of a pane header.
    const title = workbench.page.locator('.part.sidebar .composite.title', { hasText: /service accounts/i }).first();
    await title.waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(await title.isVisible());
  });

  test('the view shows its welcome content when no kubeconfig exists', async () => {
    const welcome = workbench.page.locator('.welcome-view-content', { hasText: 'No kubeconfig found' });
    // The workbench's settings file watcher can miss a write on a busy machine (the other UI checks
    // write the same file moments before): write it again until the workbench has read it.
    for (let attempt = 1; ; attempt++) {
      await workbench.updateSettings({ 'saTokens.kubeconfig': attempt % 2 === 1 ? '/nonexistent/kubeconfig' : '/nonexistent/./kubeconfig' });
      try {
        await welcome.waitFor({ state: 'visible', timeout: 20_000 });
        break;
      } catch (error) {
        if (attempt === 3) {
          await workbench.screenshot('foundation-welcome-failure');
          throw error;
        }
      }
    }
    const shot = await workbench.screenshot('foundation-welcome');
    assert.ok(existsSync(shot) && statSync(shot).size > 1000, 'a screenshot was written');
  });
});
