import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { holdsFor, waitFor } from '../harness/waitFor';
import { screenshotLightAndDark } from './themes';
import { forgetAllTokens, requestTokenByKeyboard, tearDownWorkbench } from './tokenFlows';
import { statusBarItem, toast } from './locators';
import { openWorkbench, type Workbench } from './workbench';

const productName = 'Kubernetes ServiceAccount Tokens';
/** Codicons drawn as a circular arrow alone: next to Renew's refresh, any of them reads as a second Renew. */
const circularArrowIcons = ['refresh', 'sync', 'sync-ignored', 'debug-restart', 'redo', 'discard', 'debug-rerun'];

/** The product's name wherever the workbench shows it, and Renew and Auto-Renew told apart at a glance. */
suite('One name and distinct icons (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench({ toasts: true });
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Light Modern', 'saTokens.kubeconfig': undefined, 'saTokens.namespaces': undefined });
    await workbench.openViewContainer(productName);
    await workbench.page.locator('.pane .monaco-list-row', { hasText: 'sandbox-admin' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    await forgetAllTokens(workbench);
  });

  suiteTeardown(() => tearDownWorkbench(workbench, forgetAllTokens));

  const page = () => workbench.page;
  const widget = () => page().locator('.quick-input-widget');
  const pickRows = () => widget().locator('.quick-input-list .monaco-list-row');
  const rowLabels = () => pickRows().locator('.label-name').allInnerTexts();

  test('the activity bar, the side bar, the palette, a toast\'s source and the Output list all say Kubernetes ServiceAccount Tokens', async () => {
    // The entry's label sits on the item or on its link, depending on the workbench's version.
    const activityBarLabelled = (label: string) => page().locator(`.activitybar .action-item [aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`);
    assert.ok((await activityBarLabelled(productName).count()) > 0, 'the activity bar entry has the product name');
    assert.equal(await activityBarLabelled('Service Accounts').count(), 0, 'no activity bar entry named after the view alone');
    const sideBarTitle = ((await page().locator('.part.sidebar .composite.title h2').first().textContent()) ?? '').trim();
    // A container with one view is titled "container: view".
    assert.equal(sideBarTitle.toLowerCase(), `${productName}: Service Accounts`.toLowerCase(), `the side bar title: ${sideBarTitle}`);

    // Every command of ours in the palette is under the product's category, none under an abbreviation.
    await page().keyboard.press('F1');
    await widget().locator('input.input').fill(`>${productName}: `);
    await pickRows().first().waitFor({ state: 'visible', timeout: 10_000 });
    const ours = await rowLabels();
    assert.ok(ours.length >= 5, `the palette lists our commands: ${ours.join(' | ')}`);
    assert.deepEqual(ours.filter((label) => !label.startsWith(`${productName}: `)), [], 'every row is under the product name');
    await screenshotLightAndDark(workbench, 'one-name-palette', async () => {
      await pickRows().first().waitFor({ state: 'visible', timeout: 10_000 });
    });
    await widget().locator('input.input').fill('>SA Tokens:');
    const abbreviated = async () => (await rowLabels()).filter((label) => /^SA Tokens/.test(label));
    await holdsFor('no command under "SA Tokens"', async () => (await abbreviated()).length === 0, 1_000);
    await page().keyboard.press('Escape');

    await requestTokenByKeyboard(workbench, 'build', 'builder', '10 minutes');
    const issued = toast(workbench, 'Token issued for build/builder');
    await issued.waitFor({ state: 'visible', timeout: 60_000 });
    await issued.hover();
    const source = issued.locator('.notification-list-item-source');
    await source.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(((await source.innerText()) ?? '').trim(), `Source: ${productName}`);

    await workbench.runCommand('Output: Show Output Channels');
    await pickRows().first().waitFor({ state: 'visible', timeout: 10_000 });
    await widget().locator('input.input').fill('Tokens');
    const channels = await waitFor('the Output channel list', async () => {
      const labels = await rowLabels();
      return labels.length > 0 ? labels : undefined;
    }, 10_000);
    assert.ok(channels.includes(productName), `the Output channel is named after the product: ${channels.join(' | ')}`);
    await page().keyboard.press('Escape');
  });

  test('Show Tracked Tokens: Renew and Auto-Renew have icons of their own, and Auto-Renew\'s says whether it is on', async () => {
    await requestTokenByKeyboard(workbench, 'build', 'ci-bot', '10 minutes');
    await toast(workbench, 'Token issued for build/ci-bot').waitFor({ state: 'visible', timeout: 60_000 });
    // The inspector opens on the new token and takes focus, which would close a pick opened before it.
    await page().locator('.tab', { hasText: 'Token: build/ci-bot' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    /** The buttons of the token's row in the tracked-tokens pick: tooltip and codicon. */
    const buttons = async () => {
      // Filtered to the one row, which is then focused: a focused row shows its buttons without a pointer on it.
      await waitFor('the tracked-tokens pick on the ci-bot row', async () => {
        await workbench.runCommand(`${productName}: Show Tracked Tokens`);
        await widget().locator('input.input').fill('ci-bot');
        return (await pickRows().filter({ hasText: 'ci-bot' }).first().waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) || undefined;
      }, 60_000);
      const row = pickRows().filter({ hasText: 'ci-bot' }).first();
      await row.hover({ force: true });
      return row.locator('.action-label').evaluateAll((items) =>
        items.map((i) => ({ tooltip: i.getAttribute('aria-label') ?? i.getAttribute('title') ?? '', icon: (i.className.match(/codicon-([\w-]+)/) ?? [])[1] ?? '' })),
      );
    };
    const byTooltip = (all: { tooltip: string; icon: string }[], tooltip: RegExp) => {
      const button = all.find((b) => tooltip.test(b.tooltip));
      assert.ok(button !== undefined, `a ${tooltip} button: ${JSON.stringify(all)}`);
      return button.icon;
    };

    const off = await buttons();
    const renew = byTooltip(off, /^Renew/);
    const turnOn = byTooltip(off, /^Turn On Auto-Renew/);
    assert.notEqual(turnOn, renew);
    assert.ok(!circularArrowIcons.includes(turnOn), `Auto-Renew's icon (${turnOn}) must not be another circular arrow beside Renew's (${renew})`);
    await screenshotLightAndDark(workbench, 'one-name-tracked-token-buttons', async () => {
      await pickRows().filter({ hasText: 'ci-bot' }).first().hover({ force: true });
    });

    // Turning auto-renew on changes the button to the one that turns it off, with an icon of its own.
    await buttons(); // the pick again, whatever the theme switches did to it
    await pickRows().filter({ hasText: 'ci-bot' }).first().locator('.action-label[aria-label^="Turn On Auto-Renew"]').click();
    await statusBarItem(workbench, 'Auto-renew is on').waitFor({ state: 'visible', timeout: 30_000 });
    const on = await buttons();
    const turnOff = byTooltip(on, /^Turn Off Auto-Renew/);
    assert.ok(![renew, turnOn].includes(turnOff) && !circularArrowIcons.includes(turnOff), `Turn Off Auto-Renew's icon: ${turnOff}`);
    await page().keyboard.press('Escape');
  });
});
