import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { waitFor } from '../harness/waitFor';
import { forgetAllTokens, requestTokenByKeyboard } from './tokenFlows';
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
    // Wait until the extension is up (its view lists the sandbox context).
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await workbench.page.locator('.pane .monaco-list-row', { hasText: 'sandbox-admin' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    // Other UI checks share this VS Code profile: start from an empty token store.
    await forgetAllTokens(workbench);
  });

  suiteTeardown(async () => {
    if (workbench === undefined) {
      return;
    }
    try {
      await workbench.page.keyboard.press('Escape');
      await forgetAllTokens(workbench);
    } finally {
      await setSettings({ [clockOffset]: undefined, 'saTokens.expiryWarningMinutes': undefined }).catch(() => undefined);
      await workbench.close();
    }
  });

  /**
   * Settings reach the extension host of this (remote) window through the machine settings, which the
   * workbench helper writes along with the user settings.
   */
  async function setSettings(settings: Record<string, unknown>): Promise<void> {
    await workbench.updateSettings(settings);
  }

  const item = () => workbench.page.locator('.statusbar-item', { has: workbench.page.locator('.codicon-key') }).first();

  async function read(): Promise<{ text: string; className: string; background: string; color: string }> {
    return item().evaluate((el) => {
      const style = getComputedStyle(el);
      return { text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), className: el.className, background: style.backgroundColor, color: style.color };
    });
  }

  async function waitForText(pattern: RegExp, timeoutMs = 60_000): Promise<Awaited<ReturnType<typeof read>>> {
    let last: Awaited<ReturnType<typeof read>> | undefined;
    return waitFor(`the status bar text to match ${pattern}`, async () => {
      if ((await item().count()) === 0) {
        return undefined;
      }
      last = await read();
      return pattern.test(last.text) ? last : undefined;
    }, timeoutMs, { intervalMs: 250, lastSeen: () => JSON.stringify(last ?? 'no key item') });
  }

  test('a 10-minute token counts down in the status bar: warning, seconds, expired', async () => {
    // Issue a 10-minute token for build/builder through the real wizard, by keyboard.
    await requestTokenByKeyboard(workbench, 'build', 'builder', '10 minutes');
    // Just before the server's iat, so offsets computed from it leave at least the intended time.
    const requestedAt = Date.now();
    /** The clock offset (s) that leaves `leftSeconds` on the token now; the machine is slow, so real time counts. */
    const offsetLeaving = (leftSeconds: number) => Math.round(600 - leftSeconds - (Date.now() - requestedAt) / 1000);

    // Under the default threshold (the later of 10 minutes and 20 % of the lifetime): warning colours at once.
    const warning = await waitForText(/^builder \d+m$/, 60_000);
    assert.match(warning.className, /warning-kind/, warning.className);

    // A 5-minute threshold: plain colours.
    await setSettings({ 'saTokens.expiryWarningMinutes': 5 });
    const ok = await waitForText(/^builder \d+m$/);
    const plain = await waitForClass((c) => !/warning-kind|error-kind/.test(c));
    assert.notEqual(plain.background, warning.background, `colours change (${plain.background} vs ${warning.background})`);
    void ok;

    // The clock jumps to the last minute: seconds only there, warning colours again.
    await setSettings({ [clockOffset]: offsetLeaving(55) });
    const seconds = await waitForText(/^builder [1-5]?\ds$/);
    assert.match(seconds.className, /warning-kind/);
    assert.equal(seconds.background, warning.background);
    // The countdown ticks by the second in the last minute.
    const later = await waitForText(new RegExp(`^builder (?!${seconds.text.split(' ')[1]}$)\\d+s$`), 15_000);
    assert.ok(Number.parseInt(later.text.split(' ')[1], 10) < Number.parseInt(seconds.text.split(' ')[1], 10));
    await item().hover();
    await workbench.page.locator('.monaco-hover', { hasText: 'Tracked service-account tokens (1)' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const shot = await workbench.screenshot('status-bar');
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, 'a screenshot was written');

    // Past expiry: error colours.
    await workbench.page.mouse.move(700, 300);
    await setSettings({ [clockOffset]: offsetLeaving(-60) });
    const expired = await waitForText(/^builder expired$/);
    assert.match(expired.className, /error-kind/);
    assert.notEqual(expired.background, warning.background);
    await workbench.screenshot('status-bar-expired');

    // Clicking opens the tracked tokens, soonest expiry first.
    await item().click();
    const row = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'builder' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /builder\s*expired build · sandbox-admin · audiences: /);
    await workbench.page.keyboard.press('Escape');
  });

  async function waitForClass(predicate: (className: string) => boolean, timeoutMs = 60_000): Promise<Awaited<ReturnType<typeof read>>> {
    let last: Awaited<ReturnType<typeof read>> | undefined;
    try {
      return await waitFor('the status bar item\'s class to change', async () => {
        last = await read();
        return predicate(last.className) ? last : undefined;
      }, timeoutMs, { intervalMs: 250, lastSeen: () => JSON.stringify(last) });
    } catch (error) {
      await workbench.screenshot('status-bar-failure');
      const theme = await workbench.page.locator('.monaco-workbench').first().getAttribute('class');
      throw new Error(`${(error as Error).message}; workbench: ${theme}`);
    }
  }
});
