import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type RunningBrowser } from '../harness/browser';
import { baseSettings } from '../harness/codeServer';
import { e2eEnvVar, type E2eInfo } from '../harness/e2eEnv';
import { resultsDir } from '../harness/paths';

/** One Chromium page on the real VS Code workbench with the extension under development loaded. */
export interface Workbench {
  readonly page: Page;
  readonly info: E2eInfo;
  /** Runs a command through the command palette (F1), by its visible title. */
  runCommand(title: string): Promise<void>;
  /** Clicks the activity-bar entry of a view container (by its aria-label prefix). */
  openViewContainer(label: string): Promise<void>;
  /** Merges into the user settings file; the workbench applies it live. */
  updateSettings(settings: Record<string, unknown>): Promise<void>;
  /** The values the workbench has stored (IndexedDB, where a browser workbench keeps editors and view state). */
  storedState(): Promise<string[]>;
  screenshot(name: string): Promise<string>;
  /** A second window on the same code-server user data, in the same browser (as a user opens a new window). */
  openAnotherWindow(): Promise<Workbench>;
  /** Closes this window; the first window also closes the browser. */
  close(): Promise<void>;
}

/** Runs in the page (a string: this file is type-checked without the DOM lib). */
const storedStateScript = `(async () => {
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n !== undefined && n.startsWith('vscode-web-state-db'));
  const values = [];
  for (const name of names) {
    const db = await request(indexedDB.open(name));
    try {
      if (db.objectStoreNames.contains('ItemTable')) {
        for (const value of await request(db.transaction('ItemTable', 'readonly').objectStore('ItemTable').getAll())) {
          values.push(typeof value === 'string' ? value : JSON.stringify(value));
        }
      }
    } finally {
      db.close();
    }
  }
  return values;
})()`;

export function e2eInfo(): E2eInfo {
  const raw = process.env[e2eEnvVar];
  if (!raw) {
    throw new Error(`${e2eEnvVar} is not set: run the UI checks through the harness (npm run test:e2e)`);
  }
  return JSON.parse(raw) as E2eInfo;
}

export interface WorkbenchOptions {
  /**
   * Show notification toasts as a user's workbench does. The smoke-test driver, which the harness needs so the
   * workbench loads the extension under development, also turns every toast off (VS Code's own smoke tests
   * keep them out of the way): a message then only adds a dot to the bell. This undoes that one switch.
   */
  readonly toasts?: boolean;
  /** A workbench URL to open instead of the e2e one (which loads the extension under development). */
  readonly url?: string;
}

/** The guard in the workbench's NotificationsToasts.addToast that drops every toast under the smoke-test driver. */
const smokeTestToastGuard = /!this\.environmentService\.enableSmokeTestDriver&&(?=\w+\.priority!==2\))/g;

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const info = e2eInfo();
  const browser: RunningBrowser = await launchChromium();
  try {
    return await loadWorkbench(info, browser, { ownsBrowser: true, ...options });
  } catch (error) {
    // Never leave a Chromium behind when the workbench fails to load (a slow or hung host).
    await browser.close();
    throw error;
  }
}

async function loadWorkbench(info: E2eInfo, browser: RunningBrowser, { ownsBrowser, toasts = false, url }: { ownsBrowser: boolean } & WorkbenchOptions): Promise<Workbench> {
  const context = browser.browser.contexts()[0] ?? (await browser.browser.newContext());
  const page = await context.newPage();
  await page.setViewportSize({ width: 1400, height: 900 });
  let guardsRemoved: number | undefined;
  if (toasts) {
    await page.route('**/out/vs/code/browser/workbench/workbench.js', async (route) => {
      const response = await route.fetch();
      const source = await response.text();
      guardsRemoved = source.match(smokeTestToastGuard)?.length ?? 0;
      await route.fulfill({ response, body: source.replace(smokeTestToastGuard, '') });
    });
  }
  const remote = (path: string) => `vscode-remote://127.0.0.1:${info.codeServerPort}${path}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(info.extensionPath)]]);
  await page.goto(url ?? `${info.codeServerUrl}/?folder=${encodeURIComponent(info.workspace)}&payload=${encodeURIComponent(payload)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  await page.locator('.activitybar').waitFor({ timeout: 120_000 });
  if (toasts && guardsRemoved !== 1) {
    await page.close();
    throw new Error(`Cannot show toasts: expected the smoke-test guard once in the workbench's NotificationsToasts, found it ${guardsRemoved ?? 'not loaded'} time(s) (another VS Code version?)`);
  }
  const settingsFile = join(info.userDataDir, 'User', 'settings.json');
  const machineSettingsFile = join(info.userDataDir, 'Machine', 'settings.json');

  const workbench: Workbench = {
    page,
    info,
    async runCommand(title) {
      const input = page.locator('.quick-input-widget input.input');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      // The palette's filter is fuzzy and lists recently used commands first ("Forget Token" also matches
      // "Forget All Tokens…", run moments ago): run the row with this very title when it is listed.
      const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}…?\\s*$`);
      const exactRow = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: exact }) }).first();
      // F1 is swallowed while a webview (the inspector) has focus or a previous quick input is closing, and a
      // webview or a flow's next quick input that takes focus just after closes the palette again: take focus
      // back to the workbench and start over, until the palette has run the command.
      for (let attempt = 1; ; attempt++) {
        try {
          await page.keyboard.press('Escape');
          await page.keyboard.press('F1');
          await input.waitFor({ state: 'visible', timeout: 10_000 });
          await input.fill(`>${title}`, { timeout: 5_000 });
          await row.waitFor({ state: 'visible', timeout: 10_000 });
          if ((await exactRow.count()) > 0) {
            await exactRow.click({ timeout: 5_000 });
          } else {
            await page.keyboard.press('Enter');
          }
          return;
        } catch (error) {
          if (attempt === 3) {
            throw error;
          }
          await page.locator('.part.statusbar').click({ position: { x: 700, y: 5 } });
        }
      }
    },

    async openViewContainer(label) {
      const entry = `.activitybar .action-item:has(a[aria-label^="${label}"]), .activitybar .action-item[aria-label^="${label}"]`;
      const item = page.locator(entry).first();
      const active = page.locator(`.part.sidebar:visible .composite.title`);
      const isOpen = async () => (await page.locator(entry.split(', ').map((e) => e.replace('.action-item', '.action-item.checked')).join(', ')).count()) > 0 && (await active.count()) > 0;
      await item.waitFor({ state: 'visible', timeout: 60_000 });
      // The entry toggles: clicking the active container with its side bar showing hides it (a restored layout
      // can already have it open). Click only until it is the active one with the side bar visible.
      for (let attempt = 1; attempt <= 3 && !(await isOpen()); attempt++) {
        await item.click();
        await active.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      }
    },
    async updateSettings(settings) {
      // A browser workbench is a remote window: machine-scoped settings (like saTokens.kubeconfig) are read
      // from the remote machine's settings, everything else from the user's. Write both, as a user would.
      for (const file of [settingsFile, machineSettingsFile]) {
        let current: Record<string, unknown> = file === settingsFile ? { ...baseSettings } : {};
        try {
          current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        } catch {
          // first write
        }
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
      }
    },
    async storedState() {
      return page.evaluate<string[]>(storedStateScript);
    },
    async screenshot(name) {
      mkdirSync(resultsDir, { recursive: true });
      const path = join(resultsDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    openAnotherWindow() {
      return loadWorkbench(info, browser, { ownsBrowser: false, toasts, ...(url === undefined ? {} : { url }) });
    },
    async close() {
      await (ownsBrowser ? browser.close() : page.close());
    },
  };
  return workbench;
}
