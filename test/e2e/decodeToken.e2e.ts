import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { holdsFor, waitFor } from '../harness/waitFor';
import { mintToken } from '../integration/inspectorSandbox';
import { decodePasted, inspectorFrame, openPasteBox, pageThemeSelector } from './inspectorPage';
import { screenshotLightAndDark, switchTheme } from './themes';
import { tearDownWorkbench } from './tokenFlows';
import { openWorkbench, type Workbench } from './workbench';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `HH:MM` of an epoch-seconds time on this machine's clock (the extension host runs on it too). */
const clock = (seconds: number) => new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(seconds * 1000);

suite('Decode Token… (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench();
    await switchTheme(workbench, 'light');
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
  });

  suiteTeardown(() => tearDownWorkbench(workbench, (w) => w.runCommand('View: Close All Editors')));

  const tabs = () => workbench.page.locator('.tabs-container .tab');
  const tabTitles = async () => (await tabs().allInnerTexts()).map((t) => t.trim());

  test('a bad paste is explained in the input box, which keeps it; no tab opens; screenshots light and dark', async () => {
    const page = workbench.page;
    const input = await openPasteBox(workbench);
    const message = page.locator('.quick-input-widget .quick-input-message');
    // Nothing pasted yet: the prompt, no error.
    assert.doesNotMatch(await message.innerText(), /not a JWT|not valid|not JSON|empty/);

    const cases: Array<[string, RegExp]> = [
      ['not-a-token', /^This is not a JWT: expected three base64url parts separated by dots \(header\.payload\.signature\), found 1\.$/],
      [`${Buffer.from('not json').toString('base64url')}.${b64url({ sub: 'alice' })}.c2ln`, /^The header \(part 1\) is not JSON after base64url decoding\.$/],
      ['eyJ!!.eyJ.c2ln', /^The header \(part 1\) is not valid base64url: unexpected character "!" at position 4\.$/],
    ];
    for (const [paste, expected] of cases) {
      await input.fill(paste);
      await waitFor(`the validation message ${expected}`, async () => expected.test((await message.innerText()).trim()) || undefined, 15_000, { lastSeen: () => 'another message' });
      // Enter does not accept it: the box stays open with the paste, and no inspector tab opens.
      await page.keyboard.press('Enter');
      await holdsFor('the input box to stay open with the paste after Enter', async () => (await input.isVisible()) && (await input.inputValue()) === paste, 500);
      assert.ok(await input.isVisible(), 'the input box is still open');
      assert.equal(await input.inputValue(), paste, 'the paste is kept for fixing');
      assert.match((await message.innerText()).trim(), expected);
    }
    await page.mouse.move(0, 0);
    await screenshotLightAndDark(workbench, 'decode-token-validation');
    assert.ok(await input.isVisible(), 'still open after the theme switches');
    assert.deepEqual(await tabTitles(), [], 'no tab opened for a bad paste');

    // An empty box accepts nothing either, and says what to paste.
    await input.fill('');
    await page.keyboard.press('Enter');
    await waitFor('the empty-input message', async () => /^The input is empty\. Paste a token/.test((await message.innerText()).trim()) || undefined, 15_000);
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
    assert.deepEqual(await tabTitles(), [], 'no tab after Escape');
  });

  test('an editor selection that is no token opens the paste box saying why, not a tab', async () => {
    const page = workbench.page;
    await workbench.runCommand('File: New Untitled Text File');
    const lines = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor({ state: 'visible', timeout: 30_000 });
    await lines.click();
    await page.keyboard.type('hello world');
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'hello world' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('ControlOrMeta+A');
    // Not runCommand: its first Escape would cancel the editor's selection.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input.input').fill('>Kubernetes ServiceAccount Tokens: Decode Token');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Decode Token' }).first().click();
    const fromSelection = page.locator('.quick-input-list .monaco-list-row', { hasText: 'From the editor selection' }).first();
    await fromSelection.waitFor({ state: 'visible', timeout: 30_000 });
    await fromSelection.click();
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    const message = page.locator('.quick-input-widget .quick-input-message');
    await waitFor('the selection\'s problem in the paste box', async () => /^The editor selection holds no token: This is not a JWT/.test((await message.innerText()).trim()) || undefined, 15_000);
    assert.equal(await input.inputValue(), 'hello world', 'the selection is in the box, to fix');
    assert.deepEqual((await tabTitles()).filter((t) => /Token/.test(t)), [], 'no inspector tab');
    await page.keyboard.press('Escape');
    await workbench.runCommand('View: Revert and Close Editor');
    await waitFor('the untitled editor to close', async () => (await tabTitles()).length === 0 || undefined, 15_000);
  });

  test('tabs are titled by subject and expiry; decoding the same token again reveals its tab; screenshots light and dark', async () => {
    const page = workbench.page;
    const token = await mintToken('build', 'ci-bot', { expirationSeconds: 3600 });
    const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
    const now = Math.floor(Date.now() / 1000);
    const alice = `${b64url({ alg: 'RS256' })}.${b64url({ sub: 'alice', iss: 'https://idp.example', iat: now, exp: now + 7200 })}.c2ln`;
    const bob = `${b64url({ alg: 'RS256' })}.${b64url({ iss: 'https://ci.example', iat: now, exp: now + 7200 })}.c2ln`;

    await decodePasted(workbench, token);
    await inspectorFrame(workbench, /build\/ci-bot/);
    const ciBot = `Token: build/ci-bot · expires ${clock(exp)}`;
    await page.locator('.tabs-container .tab.active', { hasText: ciBot }).waitFor({ timeout: 30_000 });

    await decodePasted(workbench, alice);
    await page.locator('.tabs-container .tab.active', { hasText: `Token: alice · expires ${clock(now + 7200)}` }).waitFor({ timeout: 30_000 });
    await decodePasted(workbench, bob);
    await page.locator('.tabs-container .tab.active', { hasText: `Token: https://ci.example · expires ${clock(now + 7200)}` }).waitFor({ timeout: 30_000 });
    assert.equal(new Set(await tabTitles()).size, 3, `three tabs, three titles: ${(await tabTitles()).join(' | ')}`);

    // The same token again: its tab comes to the front, no new one.
    await decodePasted(workbench, token);
    await page.locator('.tabs-container .tab.active', { hasText: ciBot }).waitFor({ timeout: 30_000 });
    await waitFor('three tabs still', async () => (await tabs().count()) === 3 || undefined, 10_000, { lastSeen: () => 'another count' });
    assert.equal((await tabTitles()).filter((t) => t.includes('build/ci-bot')).length, 1, 'one tab for the token');

    const frame = await inspectorFrame(workbench, /build\/ci-bot/);
    await frame.locator('#verification.state-verified').waitFor({ timeout: 60_000 });
    await page.mouse.move(0, 0);
    await screenshotLightAndDark(workbench, 'decode-token-tabs', (theme) => frame.locator(pageThemeSelector[theme]).waitFor({ timeout: 30_000 }));
  });
});
