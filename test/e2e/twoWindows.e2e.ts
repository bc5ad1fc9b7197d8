import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { waitFor } from '../harness/waitFor';
import { adminRequest } from '../integration/hostTestUtils';
import { forgetAllTokens, requestTokenByKeyboard } from './tokenFlows';
import { openWorkbench, type Workbench } from './workbench';

/**
 * Two windows on one code-server user data, as a user keeps two VS Code windows open: what one stores or
 * forgets, the other shows, and neither loses the other's token.
 */
/** Development-mode knob of the expiry feature (undeclared setting): seconds added to its clock. */
const clockOffset = 'saTokens.test.expiryClockOffsetSeconds';

/** Every line the extension logged in any window (its Output channel's log files under the user data). */
function extensionLogLines(userDataDir: string): string[] {
  const lines: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (name.endsWith('.log')) {
        lines.push(...readFileSync(path, 'utf8').split('\n'));
      }
    }
  };
  walk(join(userDataDir, 'logs'));
  return lines;
}

/** The token ledger's entries (metadata only), as every window of the user data reads them. */
function ledgerEntries(userDataDir: string): string[] {
  const globalStorage = join(userDataDir, 'User', 'globalStorage');
  return readdirSync(globalStorage)
    .map((extension) => join(globalStorage, extension, 'tokenLedger'))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => readFileSync(join(dir, n), 'utf8')));
}

suite('Two windows share the token store (UI)', () => {
  let first: Workbench;
  let second: Workbench;

  async function openServiceAccounts(window: Workbench): Promise<void> {
    const context = window.page.locator('.pane .monaco-list-row', { hasText: 'sandbox-admin' }).first();
    // A second window restores the first one's layout, where the container can be active with its side bar
    // hidden; its activity-bar entry toggles: click until the view shows.
    for (let attempt = 1; attempt < 4 && !(await context.isVisible()); attempt++) {
      await window.openViewContainer('Kubernetes ServiceAccount Tokens');
      await context.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
    }
    try {
      await context.waitFor({ state: 'visible', timeout: 90_000 });
    } catch (error) {
      await window.screenshot('two-windows-view-failure');
      throw error;
    }
  }

  /** The tracked tokens a window's status bar names in its tooltip, read as a user reads them (hover). */
  async function trackedCount(window: Workbench): Promise<number> {
    const key = window.page.locator('.statusbar-item', { has: window.page.locator('.codicon-key') }).first();
    if ((await key.count()) === 0 || !(await key.isVisible())) {
      return 0;
    }
    await key.hover();
    const hover = window.page.locator('.monaco-hover', { hasText: 'Tracked service-account tokens' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await hover.innerText();
    await window.page.mouse.move(700, 300);
    return Number(/Tracked service-account tokens \((\d+)\)/.exec(text)?.[1] ?? Number.NaN);
  }

  async function waitForTracked(window: Workbench, name: string, expected: number): Promise<void> {
    let last = Number.NaN;
    await waitFor(`${name} to track ${expected} token(s)`, async () => ((last = await trackedCount(window)) === expected ? true : undefined), 60_000, {
      intervalMs: 500,
      lastSeen: () => String(last),
    });
  }

  suiteSetup(async () => {
    first = await openWorkbench();
    await first.updateSettings({ 'workbench.colorTheme': 'Default Light Modern', 'saTokens.kubeconfig': undefined });
    await openServiceAccounts(first);
    await forgetAllTokens(first); // other UI checks share this profile
    second = await first.openAnotherWindow();
    await openServiceAccounts(second);
  });

  suiteTeardown(async () => {
    if (first === undefined) {
      return;
    }
    try {
      await first.updateSettings({ [clockOffset]: undefined });
      await forgetAllTokens(first);
    } finally {
      await second?.close().catch(() => undefined);
      await first.close();
    }
  });

  test('tokens issued in both windows at once are both kept, and each window lists both', async () => {
    await Promise.all([requestTokenByKeyboard(first, 'build', 'builder', '1 hour'), requestTokenByKeyboard(second, 'build', 'deployer', '1 hour')]);
    await waitForTracked(first, 'the first window', 2);
    await waitForTracked(second, 'the second window', 2);
    await first.screenshot('two-windows-first');
    await second.screenshot('two-windows-second');

    // The tracked-token list of each window names both accounts.
    for (const window of [first, second]) {
      await window.runCommand('Kubernetes ServiceAccount Tokens: Show Tracked Tokens');
      const rows = window.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await rows.filter({ hasText: 'deployer' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await rows.filter({ hasText: 'builder' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await window.page.keyboard.press('Escape');
    }
  });

  test('Forget All in one window empties the other', async () => {
    assert.equal(await trackedCount(first), 2, 'the first window starts with both tokens');
    await forgetAllTokens(second);
    await waitForTracked(second, 'the second window', 0);
    await waitForTracked(first, 'the first window', 0);
  });

  test('both windows due to auto-renew the same token at once: one window renews it, the other takes its new token', async () => {
    await requestTokenByKeyboard(first, 'build', 'ci-bot', '10 minutes');
    await waitForTracked(second, 'the second window', 1);
    await first.runCommand('Kubernetes ServiceAccount Tokens: Toggle Auto-Renew');
    // The inspector webview of the new token holds the keyboard: choose the row with the mouse.
    await first.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'ci-bot' }).first().click({ timeout: 30_000 });
    try {
      await waitFor('auto-renew to be on in the shared token ledger', () => (ledgerEntries(first.info.userDataDir).some((e) => e.includes('"autoRenew":true')) ? true : undefined), 30_000, {
        intervalMs: 250,
        lastSeen: () => `${readdirSync(join(first.info.userDataDir, 'User', 'globalStorage')).join(', ')}: ${ledgerEntries(first.info.userDataDir).join('\n')}`,
      });
    } finally {
      await first.screenshot('two-windows-auto-renew');
    }
    const renewedLines = () => extensionLogLines(first.info.userDataDir).filter((l) => l.includes('Auto-renewed the token for ci-bot'));
    const before = renewedLines().length;
    // Both windows read the same settings: their clocks jump past 80 % of the lifetime together. Each window's
    // settings watcher takes its own time on a busy machine: a slow API server keeps the renewal (and its lease)
    // going long enough for the later window to find it in progress, as two real windows a few seconds apart do.
    await adminRequest('POST', '/sandbox/v1/faults', { latencyMs: 5000 });
    try {
      await first.updateSettings({ [clockOffset]: 500 });
      await waitFor('a window to auto-renew the token', () => (renewedLines().length > before ? true : undefined), 90_000, { intervalMs: 500 });
    } finally {
      await adminRequest('POST', '/sandbox/v1/faults', { reset: true, latencyMs: 0 });
    }
    await first.updateSettings({ [clockOffset]: 0 });
    await waitFor('the other window to hear of it', () => (extensionLogLines(first.info.userDataDir).some((l) => /ci-bot.*(was renewed in another window|this window waits for its new token)/.test(l)) ? true : undefined), 60_000, { intervalMs: 500 });
    assert.equal(renewedLines().length - before, 1, `one renewal in all windows:\n${renewedLines().join('\n')}`);
    await waitForTracked(first, 'the first window', 1);
    await waitForTracked(second, 'the second window', 1);
  });
});
