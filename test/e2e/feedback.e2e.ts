import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { readSandboxEnv } from '../harness/sandboxEnv';
import { makeTempDir, removeTempDir } from '../harness/tempDirs';
import { waitFor } from '../harness/waitFor';
import { adminRequest } from '../integration/hostTestUtils';
import { screenshotLightAndDark } from './themes';
import { answerStep, forgetAllTokens, requestTokenByKeyboard } from './tokenFlows';
import { statusBarItem, toast as toastOnScreen, treeRow } from './locators';
import { openWorkbench, type Workbench } from './workbench';

/** A TCP forwarder in front of the sandbox: the cluster's address while it runs, a refused port once stopped. */
interface ClusterDoor {
  readonly url: string;
  readonly connections: number;
  /** Drops every open connection and stops listening: the next request is refused (ECONNREFUSED). */
  stop(): Promise<void>;
}

async function openClusterDoor(target: URL): Promise<ClusterDoor> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let stopped = false;
  return {
    url: `https://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) {
        s.destroy();
      }
      await closed;
    },
  };
}

const title = (command: string) => `Kubernetes ServiceAccount Tokens: ${command}`;

suite('Visible feedback (UI)', () => {
  let workbench: Workbench;
  let door: ClusterDoor;
  let dir: string;

  suiteSetup(async () => {
    const sandbox = readSandboxEnv();
    door = await openClusterDoor(new URL(sandbox.url));
    // The sandbox's kubeconfig with its cluster reached through the door (same CA: its certificate names 127.0.0.1).
    dir = makeTempDir('feedback-kubeconfig');
    const kubeconfig = JSON.parse(readFileSync(sandbox.kubeconfigPath, 'utf8')) as { clusters: { name: string; cluster: { server: string } }[] };
    for (const c of kubeconfig.clusters) {
      if (c.cluster.server === sandbox.url) {
        c.cluster.server = door.url;
      }
    }
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, JSON.stringify(kubeconfig), { mode: 0o600 });

    workbench = await openWorkbench({ toasts: true });
    await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: workbench.info.codeServerUrl });
    await workbench.updateSettings({ 'workbench.colorTheme': 'Default Light Modern', 'saTokens.kubeconfig': kubeconfigPath });
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    await workbench.page.locator('.pane .monaco-list-row', { hasText: 'sandbox-admin' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    await waitFor('the extension to reach the cluster through the door', () => door.connections > 0, 60_000);
    await forgetAllTokens(workbench);
  });

  suiteTeardown(async () => {
    await adminRequest('POST', '/sandbox/v1/faults', { reset: true, latencyMs: 0 }).catch(() => undefined);
    try {
      if (workbench !== undefined) {
        await workbench.page.keyboard.press('Escape');
        await forgetAllTokens(workbench);
        await workbench.updateSettings({ 'saTokens.kubeconfig': undefined });
        await workbench.close();
      }
    } finally {
      await door?.stop();
      if (dir !== undefined) {
        removeTempDir(dir);
      }
    }
  });

  const toast = (text: string | RegExp) => toastOnScreen(workbench, text);
  const statusMessage = (text: string | RegExp) => statusBarItem(workbench, text);

  async function seen(what: ReturnType<typeof toast>, name: string, timeout = 30_000): Promise<string> {
    try {
      await what.waitFor({ state: 'visible', timeout });
    } catch (error) {
      await workbench.screenshot(`feedback-${name}-failure`);
      throw error;
    }
    return (await what.innerText()).replace(/\s+/g, ' ').trim();
  }

  /** The title of each command's token pick. */
  const pickTitles: Record<string, string> = {
    'Copy Token': 'Copy Token',
    'Forget Token': 'Forget Token',
    'Toggle Auto-Renew': 'Tracked Service-Account Tokens',
    'Renew Token': 'Tracked Service-Account Tokens',
  };

  /** Runs a token command and picks the token of `account` (in build) in its token pick, by typing its name. */
  async function onToken(command: string, account = 'builder'): Promise<void> {
    await workbench.runCommand(title(command));
    try {
      await answerStep(workbench, pickTitles[command]!, account);
    } catch (error) {
      await workbench.screenshot(`feedback-pick-failure-${command.replace(/\W+/g, '-')}`);
      const inert = await workbench.page.evaluate('Array.from(document.querySelectorAll("[inert]")).map((e) => e.className).join(" | ")');
      const active = await workbench.page.evaluate('document.activeElement && document.activeElement.className');
      throw new Error(`${(error as Error).message.split('\n')[0]}; inert: ${String(inert)}; focus: ${String(active)}`);
    }
  }

  test('Request Token: a progress toast while the server answers, then a "Token issued" toast with its actions', async () => {
    await workbench.runCommand(title('Request Token'));
    await answerStep(workbench, 'namespace', 'build');
    await answerStep(workbench, 'service account in build', 'builder');
    await answerStep(workbench, 'audiences');
    await answerStep(workbench, 'lifetime', '10 minutes');
    await answerStep(workbench, 'bind to an object', 'None');
    await workbench.page.locator('.quick-input-widget .quick-input-title', { hasText: 'review' }).waitFor({ state: 'visible', timeout: 60_000 });
    await adminRequest('POST', '/sandbox/v1/faults', { latencyMs: 3000 });
    try {
      await answerStep(workbench, 'review');
      assert.match(await seen(toast('Requesting a token for build/builder'), 'request-progress', 10_000), /Requesting a token for build\/builder…/);
    } finally {
      await adminRequest('POST', '/sandbox/v1/faults', { reset: true, latencyMs: 0 });
    }
    const issued = toast('Token issued for build/builder');
    const text = await seen(issued, 'issued');
    assert.match(text, /Token issued for build\/builder \(context sandbox-admin\): valid 10m/);
    assert.equal(await issued.locator('.monaco-button', { hasText: 'Copy Token' }).count(), 1, text);
    // A pointer on a toast keeps it up (VS Code hides an info toast after a while when the window has focus).
    await issued.hover();
    await screenshotLightAndDark(workbench, 'feedback-token-issued', async () => {
      await issued.hover();
    });
  });

  test('Copy Token and Toggle Auto-Renew confirm in the status bar', async () => {
    await workbench.page.mouse.move(700, 300);
    // A second token, for Forget Token and Forget All Tokens at the end.
    await requestTokenByKeyboard(workbench, 'build', 'ci-bot', '10 minutes');
    await seen(toast('Token issued for build/ci-bot'), 'issued-second');
    await onToken('Copy Token');
    assert.match(await seen(statusMessage('Token copied to the clipboard'), 'copied'), /Token copied to the clipboard/);

    await onToken('Toggle Auto-Renew');
    assert.match(await seen(statusMessage('Auto-renew is on'), 'auto-renew-on'), /Auto-renew is on for the token of builder \(namespace build, context sandbox-admin\)/);
    await screenshotLightAndDark(workbench, 'feedback-auto-renew-on');
    await onToken('Toggle Auto-Renew');
    assert.match(await seen(statusMessage('Auto-renew is off'), 'auto-renew-off'), /Auto-renew is off for the token of builder/);
  });

  test('Renew: a progress toast, then "Renewed" as a toast', async () => {
    await adminRequest('POST', '/sandbox/v1/faults', { latencyMs: 3000 });
    try {
      await onToken('Renew Token');
      assert.match(await seen(toast('Renewing the token for builder'), 'renew-progress', 10_000), /Renewing the token for builder \(namespace build, context sandbox-admin\)…/);
    } finally {
      await adminRequest('POST', '/sandbox/v1/faults', { reset: true, latencyMs: 0 });
    }
    assert.match(await seen(toast('Renewed the token for builder'), 'renewed'), /Renewed the token for builder\. The new token expires in (9|10)m\./);
  });

  test('Copy Name and Copy kubectl create token Command, from a row\'s context menu, confirm in the status bar', async () => {
    const page = workbench.page;
    const row = (label: string) => treeRow(workbench, label);
    /** Opens the row's context menu and runs `title` by keyboard (the menu ignores a synthetic click's mouse-up). */
    const fromContextMenu = async (label: string, title: string) => {
      await row(label).click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.locator('.action-item', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await waitFor(`"${title}" focused in the context menu`, async () => {
        await page.keyboard.press('ArrowDown');
        return ((await menu.locator('.action-item.focused').first().innerText().catch(() => '')).trim() === title) || undefined;
      }, 15_000);
      await page.keyboard.press('Enter');
    };
    await row('build').waitFor({ state: 'visible', timeout: 30_000 });
    if ((await row('build').getAttribute('aria-expanded')) !== 'true') {
      await row('build').click();
    }
    await row('builder').waitFor({ state: 'visible', timeout: 30_000 });

    await fromContextMenu('builder', 'Copy Name');
    assert.match(await seen(statusMessage('Copied builder'), 'copied-name'), /Copied builder$/);
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), 'builder');

    await fromContextMenu('builder', 'Copy kubectl create token Command');
    const copied = await seen(statusMessage('Copied: kubectl'), 'copied-command');
    assert.match(copied, /Copied: kubectl --kubeconfig \S+ --context sandbox-admin create token builder -n build$/);
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), copied.replace(/^Copied: /, ''));
    await screenshotLightAndDark(workbench, 'feedback-copied-command');
  });

  test('Renew against a dead server ends in an error toast with Retry', async () => {
    await door.stop();
    await workbench.page.mouse.move(700, 300);
    await onToken('Renew Token');
    const failed = toast('Could not renew the token for builder');
    const text = await seen(failed, 'renew-refused');
    assert.match(text, /Could not renew the token for builder \(namespace build, context sandbox-admin\): .*(ECONNREFUSED|refused)/i);
    assert.equal(await failed.locator('.monaco-button', { hasText: 'Retry' }).count(), 1, text);
    await failed.hover();
    await screenshotLightAndDark(workbench, 'feedback-renew-refused', async () => {
      await failed.hover();
    });
  });

  test('Forget Token and Forget All Tokens confirm in the status bar', async () => {
    await workbench.page.mouse.move(700, 300);
    await onToken('Forget Token', 'ci-bot');
    assert.match(await seen(statusMessage('Forgot the token for build/ci-bot'), 'forgot'), /Forgot the token for build\/ci-bot/);
    await workbench.runCommand(title('Forget All Tokens'));
    await workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Forget All' }).first().click({ timeout: 15_000 });
    assert.match(await seen(statusMessage('Forgot all'), 'forgot-all'), /Forgot all 1 stored token$/);
  });
});
