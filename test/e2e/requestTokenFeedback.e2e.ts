import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { holdsFor, waitFor } from '../harness/waitFor';
import { adminRequest } from '../integration/hostTestUtils';
import { screenshotLightAndDark } from './themes';
import { forgetAllTokens } from './tokenFlows';
import { toast } from './locators';
import { openWorkbench, type Workbench } from './workbench';

/** The page's own objects (this file is type-checked without the DOM lib; the callbacks run in the page). */
declare function getComputedStyle(element: unknown): { font: string; paddingLeft: string; paddingRight: string };
declare const document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } } };

/** What the Request Token wizard tells the user while they answer it: warnings, validation, resume, outages. */
suite('Request Token feedback (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench({ toasts: true });
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Light Modern', 'saTokens.kubeconfig': undefined });
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await workbench.page.locator('.pane .monaco-list-row', { hasText: 'sandbox-admin' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    await forgetAllTokens(workbench);
  });

  suiteTeardown(async () => {
    await adminRequest('POST', '/sandbox/v1/faults', { reset: true }).catch(() => undefined);
    await adminRequest('POST', '/sandbox/v1/config', { maxTokenExpirationSeconds: 0 }).catch(() => undefined);
    if (workbench !== undefined) {
      await workbench.page.keyboard.press('Escape');
      await forgetAllTokens(workbench).catch(() => undefined);
      await workbench.close();
    }
  });

  const widget = () => workbench.page.locator('.quick-input-widget');
  const input = () => widget().locator('input.input').first();
  const row = (text: string) => widget().locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  const clean = (t: string) => t.replace(/\s+/g, ' ').trim();
  /** A row's text without spaces: its label, description and detail are separate elements, joined without one. */
  const squash = (t: string) => t.replace(/\s+/g, '');

  async function atStep(title: string): Promise<void> {
    await widget().locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 60_000 });
  }

  /** Waits for the step, filters by `filter`, accepts the first row with Enter. */
  async function answer(title: string, filter?: string): Promise<void> {
    await atStep(title);
    await widget().locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    if (filter !== undefined) {
      await input().fill(filter);
      await row(filter).waitFor({ state: 'visible', timeout: 30_000 });
    }
    await workbench.page.keyboard.press('Enter');
  }

  /** Toggles a row's checkbox in a multi-select step, as a user does: a click on its checkbox (else on the row, else Space). */
  async function toggle(text: string): Promise<void> {
    try {
      await toggleRow(text);
    } finally {
      // Enter accepts from the filter box (in the list it would toggle the focused row again).
      await input().focus();
    }
  }

  async function toggleRow(text: string): Promise<void> {
    const target = row(text);
    await target.waitFor({ state: 'visible', timeout: 30_000 });
    const checked = async () => (await target.getAttribute('aria-checked')) ?? (await target.locator('[aria-checked]').first().getAttribute('aria-checked').catch(() => null));
    const before = await checked();
    const changed = () => waitFor(`"${text}" to toggle`, async () => (await checked()) !== before, 1_000).catch(() => false);
    const checkbox = target.locator('.quick-input-list-checkbox, .monaco-checkbox, .monaco-custom-toggle, input[type=checkbox]').first();
    if ((await checkbox.count()) > 0) {
      await checkbox.click({ force: true });
      if (await changed()) {
        return;
      }
    }
    await target.click();
    if (await changed()) {
      return;
    }
    await target.hover();
    await workbench.page.keyboard.press('Space');
    if (!(await changed())) {
      await workbench.screenshot('toggle-debug');
      throw new Error(`could not toggle "${text}" (aria-checked ${before}): ${(await target.evaluate((el: { outerHTML: string }) => el.outerHTML)).slice(0, 2000)}`);
    }
  }

  async function rows(): Promise<string[]> {
    return (await widget().locator('.quick-input-list .monaco-list-row').allInnerTexts()).map(clean);
  }

  /** The text under the input box: the prompt, or the validation message when there is one (without VS Code's key hint). */
  async function message(): Promise<string> {
    return clean(await widget().locator('.quick-input-message').innerText()).replace(/ \(Press 'Enter' to confirm or 'Escape' to cancel\)$/, '');
  }

  /** The message once it shows `expected` (validation runs in the extension host, a moment after typing), or what it shows instead. */
  async function messageFor(expected: (shown: string) => boolean, timeoutMs = 5_000): Promise<string> {
    let shown = '';
    await waitFor('the message', async () => expected((shown = await message())), timeoutMs).catch(() => undefined);
    return shown;
  }

  /** The placeholder is drawn in full: its text is no wider than the input box. */
  async function assertPlaceholderFits(step: string): Promise<void> {
    const fit = await input().evaluate((el: { placeholder: string; clientWidth: number }) => {
      const style = getComputedStyle(el);
      const context = document.createElement('canvas').getContext('2d');
      context.font = style.font;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: el.placeholder, width: context.measureText(el.placeholder).width, room };
    });
    assert.ok(fit.width <= fit.room, `the ${step} placeholder is cut off (${Math.round(fit.width)} px in ${Math.round(fit.room)} px): "${fit.text}"`);
  }

  /** Picks "Custom lifetime…" and waits for its box (its title is the list's, so wait for the box's prompt). */
  async function toCustomLifetime(): Promise<void> {
    await answer('lifetime', 'Custom lifetime');
    await widget().locator('.quick-input-message', { hasText: 'Lifetime such as' }).waitFor({ state: 'visible', timeout: 30_000 });
  }

  async function startFromPalette(): Promise<void> {
    await workbench.runCommand('Kubernetes ServiceAccount Tokens: Request Token');
    await atStep('namespace');
  }

  /** From the palette to the audiences step of build/ci-bot. */
  async function toAudiences(): Promise<void> {
    await startFromPalette();
    await answer('namespace', 'build');
    await answer('service account in build', 'ci-bot');
    await atStep('audiences');
    await row('API server default audiences').waitFor();
  }

  /** build/ci-bot with the default audience and a custom `lifetime`, bound by `bind`: the review step's rows. */
  async function reviewRowsFor(lifetime: string, bind: () => Promise<void>): Promise<string[]> {
    await toAudiences();
    await workbench.page.keyboard.press('Enter');
    await toCustomLifetime();
    await input().fill(lifetime);
    await workbench.page.keyboard.press('Enter');
    await bind();
    await atStep('review');
    await row('Request token').waitFor({ state: 'visible', timeout: 30_000 });
    return rows();
  }

  async function cancel(): Promise<void> {
    await workbench.page.keyboard.press('Escape');
    await widget().waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Checks that do not stop the test, so one run reports every one that fails. */
  function checks(): { check(ok: boolean, what: string): void; done(): void } {
    const failed: string[] = [];
    return {
      check: (ok, what) => void (ok || failed.push(what)),
      done: () => assert.deepEqual(failed, []),
    };
  }

  async function waitForOrUndefined(locator: ReturnType<typeof row>, timeout = 10_000): Promise<string | undefined> {
    try {
      await locator.waitFor({ state: 'visible', timeout });
      return clean(await locator.innerText());
    } catch {
      return undefined;
    }
  }

  test('review warns about a long, unbound token; the result shows what was issued against what was asked', async () => {
    const { check, done } = checks();
    await adminRequest('POST', '/sandbox/v1/config', { maxTokenExpirationSeconds: 86_400 });
    const texts = await reviewRowsFor('100d', () => answer('bind to an object', 'None'));
    const warning = texts.find((t) => t.includes('Long-lived token')) ?? '';
    check(squash(warning) === squash('Long-lived token: 100d more than 1d (saTokens.longLifetimeWarningHours) Not bound to any object: only deleting the service account revokes it early.'), `a warning row at review: ${texts.join(' | ')}`);
    const cap = texts.find((t) => t.includes('may cap')) ?? '';
    check(squash(cap) === squash('The API server may cap the lifetime --service-account-max-token-expiration The result shows what was issued against what was asked.'), `a row says the server may cap it: ${texts.join(' | ')}`);
    await screenshotLightAndDark(workbench, 'request-token-review-long-lifetime');
    await atStep('review');
    await row('Request token').click();

    await workbench.page.locator('.tab', { hasText: 'Token: build/ci-bot' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    // The toast on screen, as the user sees it (a pointer on it keeps it up).
    const issued = toast(workbench, 'Token issued for build/ci-bot');
    await issued.waitFor({ state: 'visible', timeout: 30_000 });
    await issued.hover();
    const result = clean(await issued.innerText());
    check(/Requested: 100d; Issued \(response\): 1d; JWT lifetime \(exp − iat\): 1d\./.test(result), `the result shows requested against issued: ${result}`);
    await screenshotLightAndDark(workbench, 'request-token-issued-against-asked', async () => {
      await issued.hover();
    });
    await workbench.runCommand('Notifications: Clear All Notifications');
    await adminRequest('POST', '/sandbox/v1/config', { maxTokenExpirationSeconds: 0 });
    done();
  });

  test('review warns that a Pod-bound token asked for 3607 s may last a year; the result shows the year it got', async () => {
    const { check, done } = checks();
    const texts = await reviewRowsFor('3607s', async () => {
      await answer('bind to an object', 'Pod');
      await answer('bind to a Pod', 'runner-7');
    });
    const warning = texts.find((t) => t.includes('Long-lived token')) ?? '';
    check(squash(warning) === squash('Long-lived token: 1h 7s may last 365d more than 1d (saTokens.longLifetimeWarningHours) Extended to a year by --service-account-extend-token-expiration (on by default).'), `a warning row at review: ${texts.join(' | ')}`);
    await screenshotLightAndDark(workbench, 'request-token-review-extended');
    await row('Request token').click();

    const issued = toast(workbench, 'Token issued for build/ci-bot');
    await issued.waitFor({ state: 'visible', timeout: 60_000 });
    await issued.hover();
    const result = clean(await issued.innerText());
    check(/Requested: 1h 7s; .*JWT lifetime \(exp − iat\): 365d/.test(result), `the result shows the year the token got: ${result}`);
    await workbench.runCommand('Notifications: Clear All Notifications');
    done();
  });

  test('every placeholder of the wizard is shown in full', async () => {
    const problems: string[] = [];
    const fits = async (step: string) => {
      try {
        await assertPlaceholderFits(step);
      } catch (e) {
        problems.push((e as Error).message);
      }
    };
    await startFromPalette();
    await row('build').waitFor();
    await fits('namespace');
    await answer('namespace', 'build');
    await atStep('service account in build');
    await row('ci-bot').waitFor();
    await fits('service account');
    await answer('service account in build', 'ci-bot');
    await atStep('audiences');
    await row('API server default audiences').waitFor();
    await fits('audiences');
    await workbench.page.keyboard.press('Enter');
    await atStep('lifetime');
    await row('8 hours').waitFor();
    await fits('lifetime');
    await answer('lifetime', '8 hours');
    await answer('bind to an object', 'Pod');
    await atStep('bind to a Pod');
    await row('runner-7').waitFor();
    await fits('bind to a Pod');
    await cancel();
    assert.deepEqual(problems, []);
  });

  test('the API server default audience is exclusive, and checking it with another says so', async () => {
    const { check, done } = checks();
    await toAudiences();
    const detail = clean(await row('API server default audiences').innerText());
    check(/Only when nothing else is checked: explicit audiences replace the server's --api-audiences\./.test(detail), `the default's detail says it is exclusive: ${detail}`);
    await toggle('vault');
    await workbench.page.keyboard.press('Enter');
    const reopened = await waitForOrUndefined(widget().locator('input.input[placeholder^="API server default unchecked"]'));
    check(reopened !== undefined, 'the step re-opens and says the default was unchecked');
    if (reopened !== undefined) {
      assert.equal(await input().getAttribute('placeholder'), 'API server default unchecked: other audiences replace it. Enter continues.');
      await screenshotLightAndDark(workbench, 'request-token-audiences-default-exclusive');
    }
    await cancel();
    done();
  });

  test('the custom-audience box opens without an error; Enter on nothing says one consistent thing', async () => {
    const { check, done } = checks();
    await toAudiences();
    await toggle('Enter other audiences');
    await workbench.page.keyboard.press('Enter');
    await widget().locator('.quick-input-message').waitFor({ state: 'visible', timeout: 30_000 });
    const audiencePrompt = 'Audiences, comma-separated (e.g. https://vault.example, sts.amazonaws.com). Each is a single identifier, no spaces.';
    // A validation of the opening value would arrive a moment later: none may.
    await holdsFor('the prompt without an error', async () => (await message()) === audiencePrompt, 1_000).catch(() => undefined);
    const opened = await message();
    check(opened === audiencePrompt, `no error when the box opens: "${opened}"`);
    await screenshotLightAndDark(workbench, 'request-token-audience-box-open');
    await input().fill('x');
    await messageFor((m) => m === audiencePrompt);
    await input().fill('');
    await workbench.page.keyboard.press('Enter');
    const emptyMessage = 'Enter at least one audience, comma-separated. For the API server default, go Back and check only "API server default audiences".';
    const empty = await messageFor((m) => m !== audiencePrompt);
    check(empty === emptyMessage, `Enter on an empty box: "${empty}"`);
    await cancel();
    done();
  });

  test('a custom lifetime takes the presets\' words and common spellings; anything else says which units work', async () => {
    const { check, done } = checks();
    await toAudiences();
    await workbench.page.keyboard.press('Enter');
    await toCustomLifetime();
    const prompt = 'Lifetime such as 90m, 2h30m, 3600s or 1d. The API server requires at least 10 minutes and at most 2^32 seconds, and may shorten it.';
    await holdsFor('the prompt without an error', async () => (await message()) === prompt, 1_000).catch(() => undefined);
    const opened = await message();
    check(opened === prompt, `no error when the box opens: "${opened}"`);
    for (const ok of ['90s', '10m', '1h', '1 hour', '2 hours', '1d', '7 days']) {
      await input().fill(ok);
      // 90 s is a lifetime, but below the API server's minimum.
      const wanted = ok === '90s' ? 'spec.expirationSeconds: Invalid value: 90: may not specify a duration less than 10 minutes (you entered 1m 30s).' : prompt;
      const shown = await messageFor((m) => m === wanted);
      check(shown === wanted, `"${ok}": "${shown}"`);
    }
    await input().fill('100y');
    const unitsMessage = '"100y" is not a lifetime. Use a number and a unit: s, m, h or d (seconds, minutes, hours, days), e.g. 90s, 10m, 1h, 1 hour, 2 hours, 1d or 7 days; at least 600 s (10 minutes).';
    const rejected = await messageFor((m) => m === unitsMessage);
    check(rejected === unitsMessage, `"100y": "${rejected}"`);
    await screenshotLightAndDark(workbench, 'request-token-lifetime-units');
    await cancel();
    done();
  });

  test('Esc at step 5 of 6 keeps the answers: the next Request Token offers to resume', async () => {
    await toAudiences();
    await toggle('vault');
    await toggle('API server default audiences');
    await workbench.page.keyboard.press('Enter');
    await toCustomLifetime();
    await input().fill('2h');
    await workbench.page.keyboard.press('Enter');
    await atStep('bind to an object');
    assert.match(clean(await widget().locator('.quick-input-title').innerText()), /5\s*\/\s*6/);
    await cancel();

    await startFromPalette();
    await widget().locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    const first = clean(await widget().locator('.quick-input-list .monaco-list-row').first().innerText());
    assert.ok(squash(first).startsWith(squash('Resume the last request (build/ci-bot, stopped at bind to an object) · sandbox-admin audiences: vault · lifetime: 2h · not bound')), first);
    await screenshotLightAndDark(workbench, 'request-token-resume');
    await atStep('namespace');
    await workbench.page.keyboard.press('Enter');
    await answer('bind to an object', 'None');
    await atStep('review');
    await row('Request token').waitFor();
    const review = await rows();
    assert.ok(review.some((t) => t.includes('audiences: vault · lifetime: 2h · not bound')), review.join(' | '));
    await row('Request token').click();
    await workbench.page.locator('.tab', { hasText: 'Token: build/ci-bot' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  });

  test('a namespace typed while the server is down is kept: Retry, or use the typed name', async () => {
    await adminRequest('POST', '/sandbox/v1/faults', { resetRate: 1 });
    try {
      await startFromPalette();
      await row('Could not list namespaces').waitFor({ state: 'visible', timeout: 90_000 });
      await input().fill('build');
      await row('Retry').waitFor({ state: 'visible', timeout: 10_000 });
      await row('Enter a namespace').waitFor({ state: 'visible' });
      // What Enter takes now: the typed name goes to "Enter a namespace…" (not another row).
      const offered = await rows();
      assert.deepEqual(offered.map(squash), ['Enteranamespace…', 'Retryasktheserveragain'], offered.join(' | '));
      await screenshotLightAndDark(workbench, 'request-token-namespace-server-down');
      // Retry once the server is back: the list loads and the typed text still filters it.
      await adminRequest('POST', '/sandbox/v1/faults', { reset: true });
      await row('Retry').click();
      await widget().locator('.quick-input-list .monaco-list-row', { hasText: /^build/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await input().inputValue(), 'build');
      await workbench.page.keyboard.press('Escape');
      await widget().waitFor({ state: 'hidden', timeout: 10_000 });

      // Down again: "Enter a namespace…" opens with the typed name.
      await adminRequest('POST', '/sandbox/v1/faults', { resetRate: 1 });
      await startFromPalette();
      await row('Could not list namespaces').waitFor({ state: 'visible', timeout: 90_000 });
      await input().fill('build');
      await row('Enter a namespace').waitFor({ state: 'visible', timeout: 10_000 });
      await workbench.page.keyboard.press('Enter');
      await widget().locator('.quick-input-message', { hasText: 'The namespace of the service account' }).waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await input().inputValue(), 'build');
      await workbench.page.keyboard.press('Escape');
    } finally {
      await adminRequest('POST', '/sandbox/v1/faults', { reset: true });
    }
  });
});
