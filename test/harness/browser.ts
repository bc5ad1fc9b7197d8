import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { delay, spawnGroup, type GroupProcess } from './processes';
import { makeTempDir, removeTempDir } from './tempDirs';
import { chromiumPath, ensureSystemPackages } from './toolchain';

export interface RunningBrowser {
  readonly browser: Browser;
  readonly process: GroupProcess;
  /** Chromium's profile (where the workbench's localStorage and IndexedDB live); gone after close. */
  readonly profileDir: string;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, started by us (so we own its process id) and driven over CDP by playwright-core.
 * Never a downloaded browser: there is no internet here.
 */
export async function launchChromium(): Promise<RunningBrowser> {
  await ensureSystemPackages();
  const root = makeTempDir('chromium');
  // Chromium puts its singleton socket folder in TMPDIR: inside our folder, it goes when the folder does.
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { mode: 0o700 });
  const child = spawnGroup(
    chromiumPath,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--window-size=1400,900',
      '--remote-debugging-port=0',
      `--user-data-dir=${join(root, 'profile')}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } },
  );
  const stop = async () => {
    await child.stop();
    removeTempDir(root);
  };
  let stderr = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools endpoint within 30 s:\n${stderr.slice(-2000)}`)), 30_000);
    child.child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void child.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited early:\n${stderr.slice(-2000)}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const browser = await chromium.connectOverCDP(endpoint).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return {
    browser,
    process: child,
    profileDir: join(root, 'profile'),
    async close() {
      await Promise.race([browser.close().catch(() => undefined), delay(3000)]);
      await stop();
    },
  };
}
