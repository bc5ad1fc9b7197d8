import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { openWorkbench, type Workbench } from './workbench';

suite('Request Token (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench();
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Light Modern', 'saTokens.kubeconfig': undefined });
  });

  suiteTeardown(async () => {
    await workbench?.close();
  });

  const widget = () => workbench.page.locator('.quick-input-widget');
  const input = () => widget().locator('input.input').first();

  /** Waits for the step whose title contains `title`, and for a list row with `rowText`. */
  async function atStep(title: string, rowText: string): Promise<void> {
    await widget().locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 60_000 });
    await widget().locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor({ state: 'visible', timeout: 60_000 });
  }

  async function type(text: string): Promise<void> {
    await input().fill(text);
  }

  test('the whole flow by keyboard from the command palette issues a token', async () => {
    const page = workbench.page;
    // Wait until the extension is up (its view lists the sandbox context), then go through the palette.
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await page.locator('.pane .monaco-list-row', { hasText: 'sandbox-admin' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    await page.keyboard.press('F1');
    await input().waitFor({ state: 'visible' });
    await input().fill('>Kubernetes ServiceAccount Tokens: Request Token');
    const entry = widget().locator('.quick-input-list .monaco-list-row', { hasText: 'Kubernetes ServiceAccount Tokens: Request Token…' }).first();
    await entry.waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');

    await atStep('namespace', 'build');
    await type('build');
    await widget().locator('.quick-input-list .monaco-list-row', { hasText: 'build' }).first().waitFor();
    await page.keyboard.press('Enter');

    await atStep('service account in build', 'ci-bot');
    await type('ci-bot');
    await page.keyboard.press('Enter');

    // Audiences (multi-select): the API server default is pre-checked; Enter accepts it.
    await atStep('audiences', 'sts.amazonaws.com');
    await page.keyboard.press('Enter');

    await atStep('lifetime', '8 hours');
    await type('8 hours');
    await page.keyboard.press('Enter');

    await atStep('bind to an object', 'None');
    await type('None');
    await page.keyboard.press('Enter');

    await atStep('review', 'Request token');
    const title = (await widget().locator('.quick-input-title').innerText()).replace(/\s+/g, ' ');
    assert.match(title, /Request Token for build\/ci-bot in sandbox-admin: review/);
    const rows = (await widget().locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(rows.some((r) => r.includes('kubectl --context sandbox-admin create token ci-bot -n build --duration 8h')), rows.join(' | '));
    const shot = await workbench.screenshot('request-token-review');
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, 'a screenshot was written');
    await page.keyboard.press('Enter');

    // Issued: the inspector opens on the new token, and the notification says so. This window keeps the
    // smoke-test driver's toasts off, so it is read in the Notification Center (feedback.e2e.ts checks the toast).
    await page.locator('.tab', { hasText: 'Token: build/ci-bot' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await workbench.runCommand('Notifications: Show Notifications');
    const issued = page.locator('.notifications-center .notification-list-item, .notifications-toasts .notification-toast', { hasText: 'Token issued for build/ci-bot' }).first();
    try {
      await issued.waitFor({ state: 'visible', timeout: 30_000 });
    } catch (e) {
      await workbench.screenshot('request-token-failure');
      throw e;
    }
    assert.match(await issued.innerText(), /Token issued for build\/ci-bot \(context sandbox-admin\): valid 8h/);
    await workbench.screenshot('request-token-issued');
    await widget().waitFor({ state: 'hidden', timeout: 10_000 });
  });
});
