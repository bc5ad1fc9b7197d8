import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { extensionId, walkthroughIds } from '../../src/constants';
import { holdsFor, waitFor } from '../harness/waitFor';
import { sandbox } from '../integration/hostTestUtils';
import { screenshotLightAndDark } from './themes';
import { forgetAllTokens, requestTokenByKeyboard, tearDownWorkbench } from './tokenFlows';
import { treeRow } from './locators';
import { openWorkbench, type Workbench } from './workbench';

const title = 'Get Started with Kubernetes ServiceAccount Tokens';
const stepTitles = ['Find or pick a kubeconfig', 'Choose a context', 'Browse service accounts', 'Request a token', 'Inspect and verify it', 'Watch expiry'];
const missingKubeconfig = '/nonexistent/kubeconfig';
const stepIds = ['kubeconfig', 'context', 'browse', 'request', 'inspect', 'expiry'] as const;
type StepId = (typeof stepIds)[number];

suite('Get Started walkthrough (UI)', () => {
  let workbench: Workbench;

  suiteSetup(async () => {
    workbench = await openWorkbench();
    // No kubeconfig, from the first moment: the first settings write after a workbench opens takes seconds to
    // apply, and the first test leaves it that time before anything reads a kubeconfig.
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Light Modern', 'saTokens.kubeconfig': missingKubeconfig, 'saTokens.namespaces': undefined });
  });

  suiteTeardown(() =>
    tearDownWorkbench(workbench, async (w) => {
      await forgetAllTokens(w);
      await w.updateSettings({ 'saTokens.kubeconfig': undefined });
    }),
  );

  const page = () => workbench.page;
  /** The step's check mark, as the walkthrough page renders it (VS Code names steps `<extension>#<walkthrough>#<step>`). */
  const checkMark = (step: StepId) => page().locator(`.codicon[data-done-step-id="${extensionId}#${walkthroughIds.getStarted}#${step}"]`).first();
  const done = async (step: StepId) => {
    const mark = checkMark(step);
    return (await mark.getAttribute('aria-checked')) === 'true' && /\bcomplete\b/.test((await mark.getAttribute('class')) ?? '');
  };
  const states = async () => Object.fromEntries(await Promise.all(stepIds.map(async (s) => [s, await done(s)] as const)));
  const waitDone = (steps: readonly StepId[], after: string) =>
    waitFor(`${steps.join(', ')} checked after ${after}`, async () => (await Promise.all(steps.map(done))).every(Boolean), 60_000, {
      intervalMs: 250,
      lastSeen: () => 'see the screenshot walkthrough-failure.png',
    }).catch(async (error: unknown) => {
      await workbench.screenshot('walkthrough-failure');
      throw new Error(`${String(error)}; steps: ${JSON.stringify(await states())}`);
    });

  /** The inspector webview (nested frames) shows a verified signature. */
  async function inspectorShowsVerified(): Promise<boolean> {
    for (const frame of page().frames()) {
      try {
        if ((await frame.locator('#verification.state-verified').count()) > 0) {
          return true;
        }
      } catch {
        // detached while probing
      }
    }
    return false;
  }

  /** Waits for the selected step's media (a webview, re-rendered on a theme change) to show `text`. */
  async function mediaShown(text: string): Promise<void> {
    await waitFor(`the step's media to show "${text}"`, async () => {
      for (const frame of page().frames()) {
        try {
          if ((await frame.getByText(text, { exact: false }).count()) > 0) {
            return true;
          }
        } catch {
          // detached while probing
        }
      }
      return false;
    }, 30_000, { intervalMs: 250 });
  }

  /** Room for the whole step list and its media. The palette's Escape takes the walkthrough page back to Welcome, as Escape does there: open it again. */
  async function closeSideBar(): Promise<void> {
    await workbench.runCommand('View: Close Primary Side Bar');
    await openWalkthrough();
  }

  /** Help → Welcome: Open Walkthrough…, then the extension's walkthrough, as a user opens it. */
  async function openWalkthrough(): Promise<void> {
    await workbench.runCommand('Welcome: Open Walkthrough');
    const widget = page().locator('.quick-input-widget');
    await widget.locator('input.input').first().fill(title);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page().keyboard.press('Enter');
    await page().locator('.gettingStartedContainer .category-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await checkMark('kubeconfig').waitFor({ state: 'visible', timeout: 30_000 });
  }

  test('Open Walkthrough lists the extension\'s six steps, none checked before the user has done anything', async () => {
    await openWalkthrough();
    const titles = await page().locator('.gettingStartedContainer .getting-started-step .step-title').allTextContents();
    assert.deepEqual(titles.map((t) => t.trim()), stepTitles);
    // Nothing has loaded the kubeconfig yet: the Service Accounts view was never opened.
    assert.deepEqual(await states(), Object.fromEntries(stepIds.map((s) => [s, false])));
    await closeSideBar();
    await screenshotLightAndDark(workbench, 'walkthrough-start', () => mediaShown('Where the kubeconfig comes from'));
  });

  test('from no kubeconfig: the kubeconfig step stays open; naming one in the setting, then expanding a namespace checks the kubeconfig, context and browse steps', async () => {
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await page().locator('.welcome-view-content', { hasText: 'No kubeconfig found' }).waitFor({ state: 'visible', timeout: 30_000 });
    await holdsFor('the kubeconfig step unchecked while none is found', async () => !(await done('kubeconfig')), 2_000);
    await screenshotLightAndDark(workbench, 'walkthrough-no-kubeconfig');

    // What the step's setting link leads to: saTokens.kubeconfig naming the user's file.
    await workbench.updateSettings({ 'saTokens.kubeconfig': sandbox().kubeconfigPath });
    const row = (label: string) => treeRow(workbench, label);
    await row('build').waitFor({ state: 'visible', timeout: 60_000 });
    await row('build').click();
    await row('ci-bot').waitFor({ state: 'visible', timeout: 30_000 });
    await waitDone(['kubeconfig', 'context', 'browse'], 'the tree listed build');
    const now = await states();
    assert.deepEqual([now.request, now.inspect, now.expiry], [false, false, false], JSON.stringify(now));
  });

  test('issuing a token in the wizard checks Request, its verified inspector checks Inspect; auto-renew checks Watch expiry', async () => {
    await forgetAllTokens(workbench);
    await requestTokenByKeyboard(workbench, 'build', 'ci-bot', '1 hour');
    // Issuing opens the inspector over the walkthrough: the user sees the token VERIFIED there first.
    await waitFor('the inspector to show the token verified', inspectorShowsVerified, 60_000, { intervalMs: 250 });
    await openWalkthrough();
    await waitDone(['request', 'inspect'], 'issuing a token and the inspector verifying it');
    assert.equal(await done('expiry'), false);

    await workbench.runCommand('Kubernetes ServiceAccount Tokens: Toggle Auto-Renew');
    await page().locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'ci-bot' }).first().click({ timeout: 30_000 });
    await closeSideBar();
    await waitDone(['expiry'], 'turning auto-renew on');
    await page().locator('.getting-started-step', { hasText: 'Watch expiry' }).first().click();
    await screenshotLightAndDark(workbench, 'walkthrough-done', () => mediaShown('Tracked Service-Account Tokens'));
  });
});
