// The integration layer's leak scan: every surface a run can write to or show, searched for the
// tokens issued during the run (and any other JWT the test did not place itself).
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { jwtsIn, scanForLeaks, type LeakHit } from './leakScan';
import { delay } from './processes';

// Runs in the page (a string: this project's Node typings have no DOM). Text, and the attributes where
// hovers and tooltips (title, aria-label) and inputs keep theirs.
const pageText = `(() => {
  const parts = [document.body ? document.body.innerText : ''];
  for (const el of document.querySelectorAll('[title],[aria-label],input,textarea')) {
    parts.push(el.getAttribute('title') || '', el.getAttribute('aria-label') || '', el.value || '');
  }
  return parts.join('\\n');
})()`;

// The workbench's own storage (globalState and workspaceState live in its IndexedDB, and the page runs
// in an in-memory browser context, so no file holds them): every database's records, and localStorage.
const pageStorage = `(async () => {
  const out = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    out.push('localStorage ' + key + ' = ' + localStorage.getItem(key));
  }
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(info.name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const values = await new Promise((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => resolve([]);
      });
      for (const value of values) {
        out.push('indexedDB ' + info.name + '/' + store + ': ' + (typeof value === 'string' ? value : value instanceof Uint8Array ? new TextDecoder().decode(value) : JSON.stringify(value)));
      }
    }
    db.close();
  }
  return out.join('\\n');
})()`;

/** The workbench's storage as text (read before the page closes). */
export async function workbenchStorage(page: Page): Promise<{ place: string; text: string }> {
  const text = await page.evaluate<string>(pageStorage).catch((error: unknown) => `unreadable: ${String(error)}`);
  return { place: "the workbench's browser storage (globalState, workspaceState)", text };
}

export const leakScanTitle = 'leak scan: no issued token outside SecretStorage';

/** Collects the text of the workbench and of every webview frame while the suite runs (notifications come and go). */
export class UiTextRecorder {
  private readonly seen = new Set<string>();
  private readonly texts: { place: string; text: string }[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(private readonly page: Page, intervalMs = 2000) {
    this.done = this.loop(intervalMs);
  }

  private async loop(intervalMs: number): Promise<void> {
    while (!this.stopped) {
      await this.capture();
      await delay(intervalMs);
    }
  }

  async capture(): Promise<void> {
    for (const frame of this.page.frames()) {
      const text = await frame
        .evaluate<string>(pageText)
        .catch(() => '');
      if (text && !this.seen.has(text)) {
        this.seen.add(text);
        this.texts.push({ place: `UI text of ${frame === this.page.mainFrame() ? 'the workbench' : `frame ${frame.url().slice(0, 80)}`}`, text });
      }
    }
  }

  async stop(): Promise<{ place: string; text: string }[]> {
    this.stopped = true;
    await this.done;
    await this.capture();
    return this.texts;
  }
}

export interface LeakScanPlaces {
  readonly tokens: readonly string[];
  readonly fixtureKubeconfigs: readonly string[];
  readonly folders: readonly { readonly path: string; readonly label: string }[];
  readonly texts: readonly { readonly place: string; readonly text: string }[];
}

export function runLeakScan(places: LeakScanPlaces): LeakHit[] {
  // The clusters' own kubeconfigs hold JWTs made at start-up (the expired context's): the test's, not issued by the run.
  const allowedJwts = places.fixtureKubeconfigs.filter((f) => existsSync(f)).flatMap((f) => jwtsIn(readFileSync(f, 'utf8')));
  return scanForLeaks({ tokens: places.tokens, folders: places.folders, texts: places.texts, allowedJwts });
}

/** The scan as one test of the layer: passed with zero hits, otherwise failed naming each place. */
export function leakScanTest(hits: readonly LeakHit[], tokensIssued: number): { title: string; state: string; error?: string } {
  if (hits.length === 0) {
    return { title: `${leakScanTitle} (${tokensIssued} sandbox tokens and every JWT)`, state: 'passed' };
  }
  const lines = hits.slice(0, 40).map((h) => `${h.what} in ${h.place}: ${h.excerpt}`);
  return { title: leakScanTitle, state: 'failed', error: `${hits.length} hit(s):\n${lines.join('\n')}` };
}
