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
    await workbench.openViewContainer('Service Accounts');
    const header = workbench.page.locator('.pane-header', { hasText: 'Service Accounts' }).first();
    await header.waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(await header.isVisible());
  });

  test('the view shows its welcome content when no kubeconfig exists', async () => {
    await workbench.updateSettings({ 'saTokens.kubeconfig': '/nonexistent/kubeconfig' });
    const welcome = workbench.page.locator('.welcome-view-content', { hasText: 'No kubeconfig found' });
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    const shot = await workbench.screenshot('foundation-welcome');
    assert.ok(existsSync(shot) && statSync(shot).size > 1000, 'a screenshot was written');
  });
});
