import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { openWorkbench, type Workbench } from './workbench';

/** The page's own function (this file is type-checked without the DOM lib; the callback runs in the page). */
declare function getComputedStyle(element: unknown): { backgroundColor: string; color: string };

/** Development-mode knob of the expiry feature (undeclared setting): seconds added to its clock. */
const clockOffset = 'saTokens.test.expiryClockOffsetSeconds';

suite('Status bar expiry (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench();
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Light Modern', [clockOffset]: 0, 'saTokens.expiryWarningMinutes': null, 'saTokens.kubeconfig': undefined });
  });

  suiteTeardown(async () => {
    if (workbench === undefined) {
      return;
    }
    try {
      await workbench.page.keyboard.press('Escape');
      await workbench.runCommand('Forget All Tokens');
      const confirm = workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Forget All' }).first();
      await confirm.click({ timeout: 10_000 });
    } finally {
      await workbench.updateSettings({ [clockOffset]: undefined, 'saTokens.expiryWarningMinutes': undefined });
      await workbench.close();
    }
  });

  const item = () => workbench.page.locator('.statusbar-item', { has: workbench.page.locator('.codicon-key') }).first();

  async function read(): Promise<{ text: string; className: string; background: string; color: string }> {
    return item().evaluate((el) => {
      const style = getComputedStyle(el);
      return { text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), className: el.className, background: style.backgroundColor, color: style.color };
    });
  }

  async function waitForText(pattern: RegExp, timeoutMs = 30_000): Promise<Awaited<ReturnType<typeof read>>> {
    const started = Date.now();
    let last = { text: '', className: '', background: '', color: '' };
    while (Date.now() - started < timeoutMs) {
      if ((await item().count()) > 0) {
        last = await read();
        if (pattern.test(last.text)) {
          return last;
        }
      }
      await workbench.page.waitForTimeout(250);
    }
    throw new Error(`status bar text never matched ${pattern}; last: ${JSON.stringify(last)}`);
  }

  /** Answers one wizard step: type to filter (optional), then Enter. */
  async function answer(filter?: string): Promise<void> {
    const input = workbench.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    if (filter !== undefined) {
      await input.fill(filter);
      await workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: filter }).first().waitFor({ state: 'visible', timeout: 30_000 });
    }
    await workbench.page.keyboard.press('Enter');
    await workbench.page.waitForTimeout(400);
  }

  test('a 10-minute token counts down in the status bar: warning, seconds, expired', async () => {
    // Issue a 10-minute token for build/builder through the real wizard, by keyboard.
    await workbench.runCommand('Request Token');
    await answer('build');
    await answer('builder');
    await answer(); // audiences: none ticked = the API server default
    await answer('10 minutes');
    await answer('None');
    await answer(); // review: Request token

    // Under the default threshold (the later of 10 minutes and 20 % of the lifetime): warning colours at once.
    const warning = await waitForText(/^builder (9|10)m$/, 60_000);
    assert.match(warning.className, /warning-kind/, warning.className);

    // A 5-minute threshold: plain colours.
    await workbench.updateSettings({ 'saTokens.expiryWarningMinutes': 5 });
    const ok = await waitForText(/^builder (9|10)m$/);
    const plain = await waitForClass((c) => !/warning-kind|error-kind/.test(c));
    assert.notEqual(plain.background, warning.background, `colours change (${plain.background} vs ${warning.background})`);
    void ok;

    // The clock jumps 9½ minutes: seconds only in the last minute, warning colours again.
    await workbench.updateSettings({ [clockOffset]: 570 });
    const seconds = await waitForText(/^builder [1-3]\ds$/);
    assert.match(seconds.className, /warning-kind/);
    assert.equal(seconds.background, warning.background);
    // The countdown ticks by the second in the last minute.
    const later = await waitForText(new RegExp(`^builder (?!${seconds.text.split(' ')[1]}$)\\d+s$`), 5_000);
    assert.ok(Number.parseInt(later.text.split(' ')[1], 10) < Number.parseInt(seconds.text.split(' ')[1], 10));
    await item().hover();
    await workbench.page.locator('.monaco-hover', { hasText: 'Tracked service-account tokens (1)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const shot = await workbench.screenshot('status-bar');
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, 'a screenshot was written');

    // Past expiry: error colours.
    await workbench.page.mouse.move(700, 300);
    await workbench.updateSettings({ [clockOffset]: 660 });
    const expired = await waitForText(/^builder expired$/);
    assert.match(expired.className, /error-kind/);
    assert.notEqual(expired.background, warning.background);
    await workbench.screenshot('status-bar-expired');

    // Clicking opens the tracked tokens, soonest expiry first.
    await item().click();
    const row = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'builder' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /builder expired build · sandbox-admin · audiences: /);
    await workbench.page.keyboard.press('Escape');
  });

  async function waitForClass(predicate: (className: string) => boolean, timeoutMs = 15_000): Promise<Awaited<ReturnType<typeof read>>> {
    const started = Date.now();
    for (;;) {
      const state = await read();
      if (predicate(state.className)) {
        return state;
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(`status bar class never matched; last: ${JSON.stringify(state)}`);
      }
      await workbench.page.waitForTimeout(250);
    }
  }
});
