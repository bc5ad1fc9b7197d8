import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { waitFor } from '../harness/waitFor';
import { admin, mintToken } from '../integration/inspectorSandbox';
import { decodePasted, inspectorFrame as renderedInspector, pageThemeSelector } from './inspectorPage';
import { screenshotLightAndDark } from './themes';
import { tearDownWorkbench } from './tokenFlows';
import { openWorkbench, type Workbench } from './workbench';

/**
 * Whether a stored workbench value holds an inspector editor with the page's state (its view): the
 * editor part stores each webview editor as JSON with the page's setState, itself JSON, inside.
 */
function holdsInspectorState(stored: string): boolean {
  const parse = (text: unknown): unknown => {
    try {
      return typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  };
  const visit = (node: unknown): boolean => {
    if (typeof node !== 'object' || node === null) {
      return false;
    }
    const editor = parse((node as { value?: unknown }).value) as { viewType?: unknown; state?: unknown } | undefined;
    if (typeof editor?.viewType === 'string' && editor.viewType.endsWith('saTokens.tokenInspector')) {
      const state = parse(editor.state) as { view?: unknown } | undefined;
      if (state?.view !== undefined) {
        return true;
      }
    }
    return Object.values(node).some(visit);
  };
  return visit(parse(stored));
}

suite('Token Inspector (UI)', () => {
  let workbench: Workbench;
  let token: string;

  suiteSetup(async () => {
    workbench = await openWorkbench();
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Light Modern' });
    // The activity-bar entry appears once the extension's contributions are registered.
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    // A pod-bound token for build/ci-bot, bound to the running pod runner-7.
    const pod = await admin<{ metadata: { uid: string } }>('GET', '/api/v1/namespaces/build/pods/runner-7');
    assert.equal(pod.status, 200);
    token = await mintToken('build', 'ci-bot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner-7', uid: pod.body.metadata.uid } });
  });

  suiteTeardown(() => tearDownWorkbench(workbench, async (w) => {
    await w.runCommand('View: Close All Editors');
    await w.updateSettings({ 'workbench.colorTheme': 'Default Light Modern' });
  }));

  /** The webview's content frame (webviews render in nested iframes). */
  const inspectorFrame = (timeoutMs = 60_000): Promise<Frame> => renderedInspector(workbench, /./, timeoutMs);

  /**
   * The DOM of every webview frame (HTML and input values), plus the workbench's own HTML. The
   * workbench's input values are left out: VS Code keeps the text typed into its (hidden) input box
   * in the element's value, which is the workbench's business, not the inspector page's.
   */
  async function allDom(): Promise<string> {
    const texts: string[] = [];
    for (const frame of workbench.page.frames()) {
      try {
        texts.push(await frame.content());
        if (frame !== workbench.page.mainFrame()) {
          // Input values are properties, not attributes: read them too (a string, because Node has no DOM types).
          texts.push(await frame.evaluate<string>("[...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\\n')"));
        }
      } catch {
        // detached
      }
    }
    return texts.join('\n');
  }

  test('Decode Token… by keyboard opens the inspector for a pod-bound token; screenshots light and dark', async () => {
    const page = workbench.page;
    await decodePasted(workbench, token);

    const frame = await inspectorFrame();
    await frame.locator('#verification.state-verified').waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('header h1').innerText(), /build\/ci-bot \(bound to Pod runner-7\)/);
    assert.match(await frame.locator('#verified-badge').innerText(), /VERIFIED/);
    assert.ok(await frame.locator('table.claims th', { hasText: 'Bound pod' }).count() > 0);
    assert.ok(await frame.locator('table.claims th', { hasText: 'Node of the pod' }).count() > 0);
    assert.match(await frame.locator('#countdown').innerText(), /^Expires in (\d+m|\d+h \d{2}m)$/);
    assert.ok(await frame.locator('button', { hasText: 'Bound object still exists?' }).count() === 1);

    // The raw token is nowhere in the page DOM (workbench, webview frames, inputs) until revealed.
    const [header, payload, signature] = token.split('.');
    const before = await allDom();
    assert.ok(!before.includes(signature!), 'no signature in the DOM');
    assert.ok(!before.includes(payload!.slice(0, 60)), 'no encoded payload in the DOM');
    assert.ok(!before.includes(`${header}.${payload!.slice(0, 10)}`));

    await page.mouse.move(0, 0);
    const light = await workbench.screenshot('inspector-light');
    assert.ok(existsSync(light) && statSync(light).size > 10_000);
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
    try {
      await frame.locator('body.vscode-dark').waitFor({ timeout: 10_000 });
    } catch {
      // The settings file watcher can lag on a busy machine: switch by keyboard instead (to the preferred dark theme, Default Dark Modern).
      await workbench.runCommand('Toggle between Light/Dark Themes');
      await frame.locator('body.vscode-dark').waitFor({ timeout: 30_000 });
    }
    // The webview switches first; the screenshot waits for the workbench around it too.
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 30_000 });
    const dark = await workbench.screenshot('inspector-dark');
    assert.ok(existsSync(dark) && statSync(dark).size > 10_000);
  });

  test('Reveal shows the token on request (keyboard), Hide removes it again', async () => {
    const frame = await inspectorFrame();
    const reveal = frame.locator('#reveal');
    await reveal.focus();
    await workbench.page.keyboard.press('Enter');
    await frame.locator('#token-text.revealed').waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('#token-text').innerText(), token);
    assert.equal(await reveal.getAttribute('aria-pressed'), 'true');
    await workbench.page.keyboard.press('Enter');
    await frame.locator('#token-text.masked').waitFor({ timeout: 15_000 });
    assert.ok(!(await allDom()).includes(token.split('.')[2]!), 'hidden again');
  });

  test('a server check runs from its button and renders a result', async () => {
    const frame = await inspectorFrame();
    await frame.locator('button', { hasText: 'Who am I' }).click();
    const result = frame.locator('#check-whoami .result');
    await result.waitFor({ timeout: 30_000 });
    assert.equal(await result.innerText(), 'The token authenticates as system:serviceaccount:build:ci-bot');
  });

  test('"Verify again" while the cluster fails keeps VERIFIED, says when it was verified and that the re-check failed; screenshots light and dark', async () => {
    const frame = await inspectorFrame();
    const title = frame.locator('#verification .state-title');
    await frame.locator('#verification.state-verified').waitFor({ timeout: 30_000 });
    // Every API request now answers 500 (the sandbox's control endpoints excepted).
    await admin('POST', '/sandbox/v1/faults', { errorRate: 1 });
    try {
      await frame.locator('#verification button', { hasText: 'Verify again' }).click();
      await title.filter({ hasText: 'last verified at' }).waitFor({ timeout: 60_000 });
      assert.match(await title.innerText(), /^Signature verified \(key [^)]+\) \(last verified at .+ ago\)\)$/);
      assert.match(await frame.locator('#verification p').innerText(), /^Re-check failed: Cannot fetch the cluster's signing keys\. .+ The earlier verification against the cluster's keys still stands\.$/);
      assert.equal(await frame.locator('#verification').getAttribute('class'), 'banner state-verified');
      assert.equal(await frame.locator('#verified-badge').innerText(), 'VERIFIED');
      await workbench.page.mouse.move(0, 0);
      await screenshotLightAndDark(workbench, 'inspector-recheck-failed', (theme) => frame.locator(pageThemeSelector[theme]).waitFor({ timeout: 30_000 }));
    } finally {
      await admin('POST', '/sandbox/v1/faults', { reset: true });
    }
    // With the cluster back, a re-check verifies afresh and the note goes.
    await frame.locator('#verification button', { hasText: 'Verify again' }).click();
    await waitFor('a fresh verification', async () => /^Signature verified \(key [^)]+\)$/.test(await title.innerText()) || undefined, 60_000);
  });

  test('Copy as kubeconfig asks in the workbench\'s save dialog and writes a 0600 file the status names', async () => {
    const dir = makeTempDir('e2e-kubeconfig');
    try {
      const file = join(dir, 'ui-export.kubeconfig');
      const frame = await inspectorFrame();
      await frame.locator('button[data-format="kubeconfig"]').click();
      // The browser workbench's save dialog is a quick input holding the path.
      const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      // The dialog fills in its default path on its own schedule: replace it only once it is there.
      await waitFor('the dialog\'s default path', async () => (await input.inputValue()).endsWith('build-ci-bot.kubeconfig') || undefined, 15_000);
      // Accepting while the dialog still lists the old folder can open a folder instead: enter the
      // path again until the dialog accepts it.
      await waitFor('the dialog to accept the path', async () => {
        if (existsSync(file)) {
          return true;
        }
        if (await input.isVisible() && (await input.inputValue()) !== file) {
          await input.fill(file);
        } else if (await input.isVisible()) {
          await workbench.page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).click();
        }
        return undefined;
      }, 30_000, { intervalMs: 1000 });
      assert.equal((statSync(file).mode & 0o777).toString(8), '600');
      await frame.locator('#copy-status.ok', { hasText: file }).waitFor({ timeout: 15_000 });
      assert.equal(await workbench.page.locator('.tab', { hasText: /^Untitled/ }).count(), 0, 'no untitled editor');
    } finally {
      removeTempDir(dir);
    }
  });

  test('after a window reload the panel is restored without the token (it was pasted, not stored)', async () => {
    const page = workbench.page;
    // The page's setState reaches the workbench asynchronously, and the workbench stores editors on its
    // own schedule: reload only once its storage holds the panel with the page's state.
    await waitFor('the workbench to store the inspector panel with its state', async () => (await workbench.storedState()).some(holdsInspectorState), 30_000, { intervalMs: 250 });
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = await inspectorFrame(90_000);
    await frame.locator('header p', { hasText: 'Restored after a reload' }).waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('header h1').innerText(), /build\/ci-bot/);
    assert.equal(await frame.locator('#reveal').count(), 0, 'nothing to reveal');
    await frame.locator('#verification.state-unavailable').waitFor({ timeout: 30_000 });
    assert.ok(!(await allDom()).includes(token.split('.')[2]!), 'no token after the restore');
  });
});
