import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import { adminRequest, sandbox } from '../integration/hostTestUtils';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { waitFor } from '../harness/waitFor';
import { screenshotLightAndDark } from './themes';
import { forgetAllTokens, requestTokenByKeyboard } from './tokenFlows';
import { serviceAccountsView, toast, treeRow } from './locators';
import { openWorkbench, type Workbench } from './workbench';

interface KubeconfigJson {
  clusters: { name: string; cluster: { server: string } }[];
  contexts: { name: string; context: { cluster: string } }[];
}

/** What the Service Accounts view tells a user in an outage, with Select Namespaces, and across a context switch. */
suite('Explorer feedback (UI)', () => {
  let workbench: Workbench;
  let dir: string;
  const command = (title: string) => workbench.runCommand(`Kubernetes ServiceAccount Tokens: ${title}`);

  suiteSetup(async () => {
    dir = makeTempDir('e2e-explorer-feedback');
    workbench = await openWorkbench({ toasts: true });
    await workbench.updateSettings({
      'workbench.colorTheme': 'Default Light Modern',
      'saTokens.kubeconfig': undefined,
      'saTokens.namespaces': undefined,
    });
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await row('sandbox-admin').waitFor({ state: 'visible', timeout: 90_000 });
  });

  teardown(async () => {
    await adminRequest('POST', '/sandbox/v1/faults', { reset: true });
    await workbench.page.keyboard.press('Escape');
  });

  suiteTeardown(async () => {
    await workbench?.updateSettings({ 'saTokens.kubeconfig': undefined, 'saTokens.namespaces': undefined });
    await workbench?.close();
    removeTempDir(dir);
  });

  const page = () => workbench.page;
  const view = () => serviceAccountsView(workbench);
  const row = (label: string) => treeRow(workbench, label);
  const description = async (label: string) => ((await row(label).locator('.label-description').textContent()) ?? '').trim();
  /** Waits until the row's description matches (the tree redraws the row when the cluster's state changes). */
  const descriptionOf = async (label: string, pattern: RegExp, timeout: number) => {
    let text = '';
    try {
      return await waitFor(`the "${label}" row to say ${pattern}`, async () => {
        text = await description(label).catch(() => '');
        return pattern.test(text) ? text : undefined;
      }, timeout, { intervalMs: 250, lastSeen: () => `"${text}"` });
    } catch (error) {
      await workbench.screenshot(`explorer-feedback-failure-${label}`);
      throw error;
    }
  };
  const expand = async (label: string) => {
    await row(label).waitFor({ state: 'visible', timeout: 60_000 });
    if ((await row(label).getAttribute('aria-expanded')) !== 'true') {
      await row(label).click();
    }
  };
  /** The inline actions a user sees when hovering a row (their tooltips are the command titles). */
  const inlineActions = async (label: string) => {
    await row(label).hover();
    return row(label).locator('.actions .action-label').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? ''));
  };

  /** Switch Context… in its picker, by typing the context's name, until its row is the tree's root. */
  const switchContextInPicker = async (context: string) => {
    await command('Switch Context…');
    const widget = page().locator('.quick-input-widget');
    await widget.locator('input.input').first().fill(context);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: context }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page().keyboard.press('Enter');
    await row(context).waitFor({ state: 'visible', timeout: 30_000 });
  };

  test('a hung API server: the context row shows Loading…, the issued token stays reachable, then the request timed out, with its actions', async () => {
    await forgetAllTokens(workbench);
    await requestTokenByKeyboard(workbench, 'web', 'frontend', '1 hour');
    await page().locator('.tab', { hasText: 'Token: web/frontend' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    // The default 30 s timeout, not a shorter setting: a settings write just after the workbench opens takes
    // seconds to reach the extension, and nothing a user sees tells when it has (integration tests cover the setting).
    await adminRequest('POST', '/sandbox/v1/faults', { stallRate: 1, stallMs: 90_000 });
    await command('Refresh');

    const slow = await descriptionOf('sandbox-admin', /Loading…/, 20_000);
    assert.equal(slow, `${sandbox().url} · Loading… (the API server is slow to answer)`);
    assert.equal(await row('sandbox-admin').locator('.codicon-loading').count(), 1, 'the row spins');
    await screenshotLightAndDark(workbench, 'explorer-outage-slow');

    // While the server says nothing, the token (in SecretStorage) is still reachable, and each row that waits spins.
    await expand('web');
    assert.match(await descriptionOf('web', /Loading…/, 20_000), /Loading…/);
    assert.equal(await row('web').locator('.codicon-loading').count(), 1, 'the namespace row spins');
    await expand('frontend');
    await view().locator('.monaco-list-row', { has: page().locator('.label-description', { hasText: /^expires in / }) }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshotLightAndDark(workbench, 'explorer-outage-slow-token-listed');

    const timedOut = await descriptionOf('sandbox-admin', /^timed out: /, 50_000);
    assert.match(timedOut, /^timed out: The API server at https:\/\/127\.0\.0\.1:\d+ did not answer GET \/api\/v1\/namespaces\S* within 30 s/);
    assert.equal(await row('sandbox-admin').locator('.codicon-debug-disconnect').count(), 1);
    const actions = await inlineActions('sandbox-admin');
    for (const action of ['Switch Context…', 'Open Kubeconfig', 'Refresh']) {
      assert.ok(actions.some((a) => a.startsWith(action)), `inline ${action}: ${actions.join(', ')}`);
    }
    await screenshotLightAndDark(workbench, 'explorer-outage-timed-out');

    // Back up: Refresh (the row's Retry) restores the healthy row.
    await adminRequest('POST', '/sandbox/v1/faults', { reset: true });
    await command('Refresh');
    await descriptionOf('sandbox-admin', /^https:\/\/127\.0\.0\.1:\d+$/, 30_000);
    await forgetAllTokens(workbench);
  });

  test('a dead API server: unreachable with the error on the context row, and the issued token still listed', async () => {
    await forgetAllTokens(workbench);
    await requestTokenByKeyboard(workbench, 'web', 'frontend', '1 hour');
    await page().locator('.tab', { hasText: 'Token: web/frontend' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    try {
      // The same context, its server gone: the sandbox's closed port.
      const config = JSON.parse(readFileSync(sandbox().kubeconfigPath, 'utf8')) as KubeconfigJson;
      const clusterOf = (name: string) => config.clusters.find((c) => c.name === config.contexts.find((x) => x.name === name)!.context.cluster)!;
      clusterOf(sandbox().contexts.admin).cluster.server = clusterOf(sandbox().contexts.unreachable).cluster.server;
      const file = join(dir, 'dead-server.json');
      writeFileSync(file, JSON.stringify({ ...config, 'current-context': sandbox().contexts.admin }));
      await workbench.updateSettings({ 'saTokens.kubeconfig': file });

      const unreachable = await descriptionOf('sandbox-admin', /^unreachable: /, 60_000);
      assert.match(unreachable, /^unreachable: Cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/);
      assert.equal(await row('sandbox-admin').locator('.codicon-debug-disconnect').count(), 1);
      const actions = await inlineActions('sandbox-admin');
      assert.ok(actions.some((a) => a.startsWith('Open Kubeconfig')), actions.join(', '));

      await expand('web');
      await expand('frontend');
      const token = view().locator('.monaco-list-row', { has: page().locator('.label-description', { hasText: /^expires in / }) }).first();
      await token.waitFor({ state: 'visible', timeout: 30_000 });
      // The outage is said once, on the context row with its actions; the error rows below it stay folded.
      const errorRows = view().locator('.monaco-list-row', { has: page().locator('.label-name', { hasText: /^Cannot reach the API server$/ }) });
      assert.ok((await errorRows.count()) >= 2, 'an error row where each listing is missing');
      assert.deepEqual([...new Set(await errorRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-expanded'))))], ['false']);
      assert.equal(await row('Retry').count(), 0, 'no Retry row repeats the context row\'s action');
      await screenshotLightAndDark(workbench, 'explorer-outage-unreachable');
    } finally {
      await workbench.updateSettings({ 'saTokens.kubeconfig': undefined });
      await forgetAllTokens(workbench);
      await descriptionOf('sandbox-admin', /^https:\/\/127\.0\.0\.1:\d+$/, 60_000);
    }
  });

  test('expired credentials: the context row says the API server rejected them, with Open Kubeconfig', async () => {
    const expired = sandbox().contexts.expired;
    await switchContextInPicker(expired);
    try {
      const rejected = await descriptionOf(expired, /^credentials rejected: /, 60_000);
      assert.match(rejected, /^credentials rejected: The API server at https:\/\/127\.0\.0\.1:\d+ rejected the credentials of user "expired" in context "sandbox-expired" \(401 Unauthorized\)/);
      assert.equal(await row(expired).locator('.codicon-error').count(), 1, 'the row shows the error icon');
      const actions = await inlineActions(expired);
      for (const action of ['Open Kubeconfig', 'Refresh']) {
        assert.ok(actions.some((a) => a.startsWith(action)), `inline ${action}: ${actions.join(', ')}`);
      }
      await screenshotLightAndDark(workbench, 'explorer-credentials-rejected');
    } finally {
      await switchContextInPicker(sandbox().contexts.admin);
    }
  });

  test('Go to Service Account follows Select Namespaces; a hidden account says why and offers Show Namespace', async () => {
    await workbench.updateSettings({ 'saTokens.namespaces': ['web'] });
    await row('Showing 1 selected namespace').waitFor({ state: 'visible', timeout: 30_000 });
    await command('Go to Service Account…');
    const widget = page().locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Go to Service Account' }).waitFor({ state: 'visible', timeout: 30_000 });
    const items = widget.locator('.quick-input-list .monaco-list-row');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'frontend' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const listed = await items.evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim()));
    assert.ok(!listed.some((l) => l.startsWith('ci-bot')), `only the selected namespace's accounts: ${listed.join(' | ')}`);
    assert.ok(listed.some((l) => l.includes('Search All Namespaces…')), `a way to the others: ${listed.join(' | ')}`);

    await widget.locator('input.input').first().fill('ci-bot');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Search All Namespaces…' }).first().click();
    const ciBot = widget.locator('.quick-input-list .monaco-list-row', { hasText: 'hidden by Select Namespaces' }).first();
    await ciBot.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await ciBot.innerText()).replace(/\s+/g, ' '), /^ci-bot\s*build · hidden by Select Namespaces$/);
    await ciBot.click();

    // The message is a toast with its action, where the user is looking.
    const hiddenText = 'Service account build/ci-bot is not in the tree';
    const hidden = toast(workbench, hiddenText);
    await hidden.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await hidden.innerText()).replace(/\s+/g, ' '), /Service account build\/ci-bot is not in the tree: Select Namespaces shows only web\. Show namespace build too\?/);
    await screenshotLightAndDark(workbench, 'go-to-hidden-account-message');
    // A theme switch by keyboard (the fallback when the settings watcher lags) closes toasts: the action is then in the Notification Center.
    let showNamespace = hidden.locator('.monaco-button', { hasText: 'Show Namespace' });
    if (!(await showNamespace.isVisible())) {
      await workbench.runCommand('Notifications: Show Notifications');
      showNamespace = page().locator('.notifications-center .notification-list-item', { hasText: hiddenText }).first().locator('.monaco-button', { hasText: 'Show Namespace' });
    }
    await showNamespace.click();

    const revealed = view().locator('.monaco-list-row.selected', { has: page().locator('.label-name', { hasText: /^ci-bot$/ }) });
    await revealed.waitFor({ state: 'visible', timeout: 30_000 });
    await row('Showing 2 selected namespaces').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshotLightAndDark(workbench, 'go-to-hidden-account-revealed');
  });

  test('Select Namespaces: the title says what is selected, follows the checks, and accepting shows them in the tree', async () => {
    await workbench.updateSettings({ 'saTokens.namespaces': ['build', 'web'] });
    await row('Showing 2 selected namespaces').waitFor({ state: 'visible', timeout: 30_000 });
    await command('Select Namespaces…');
    const widget = page().locator('.quick-input-widget');
    const title = widget.locator('.quick-input-title');
    await widget.locator('.quick-input-title', { hasText: 'Select Namespaces' }).waitFor({ state: 'visible', timeout: 30_000 });
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'payments' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await title.innerText(), 'Select Namespaces (2 selected: build, web)');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'payments' }).first().locator('.monaco-checkbox, input[type=checkbox]').first().click();
    await widget.locator('.quick-input-title', { hasText: '3 selected' }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await title.innerText(), 'Select Namespaces (3 selected: build, payments, web)');
    await screenshotLightAndDark(workbench, 'select-namespaces-title');
    // Enter from the filter box accepts (in the list it would toggle the focused row).
    await widget.locator('input.input').first().focus();
    await page().keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
    await row('Showing 3 selected namespaces').waitFor({ state: 'visible', timeout: 30_000 });
    await row('payments').waitFor({ state: 'visible', timeout: 30_000 });
  });

  test('a context switch and back keeps the rows the user expanded', async () => {
    await workbench.updateSettings({ 'saTokens.namespaces': undefined });
    await row('kube-system').waitFor({ state: 'visible', timeout: 30_000 });
    await expand('build');
    await row('deployer').waitFor({ state: 'visible', timeout: 30_000 });

    for (const context of [sandbox().contexts.insecure, sandbox().contexts.admin]) {
      await switchContextInPicker(context);
    }
    await row('deployer').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await row('build').getAttribute('aria-expanded'), 'true', 'build is still expanded');
    await screenshotLightAndDark(workbench, 'explorer-expansion-kept');
  });
});
