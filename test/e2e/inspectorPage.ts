import type { Frame, Locator } from 'playwright-core';
import type { Layer } from '../harness/contrast';
import { waitFor } from '../harness/waitFor';
import type { ThemeKey } from './themes';
import type { Workbench } from './workbench';

/** The webview's body carries the theme kind a little after the workbench switched. */
export const pageThemeSelector: Record<ThemeKey, string> = {
  light: 'body.vscode-light',
  dark: 'body.vscode-dark',
  highContrastDark: 'body.vscode-high-contrast:not(.vscode-high-contrast-light)',
  highContrastLight: 'body.vscode-high-contrast-light',
};

/** Runs Decode Token… and picks "Paste a token…"; returns the input box, empty and focused. */
export async function openPasteBox(workbench: Workbench): Promise<Locator> {
  const page = workbench.page;
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Paste a token' }).first();
  const pasteBox = page.locator('.quick-input-widget', { hasText: 'Paste a JWT (header.payload.signature)' });
  // The extension's contributions register a little after the workbench appears (slow, shared machine), and an
  // inspector opened just before can take focus and close the picker: start over until the paste box shows.
  await waitFor('the Decode Token paste box', async () => {
    try {
      await workbench.runCommand('Decode Token');
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.click({ timeout: 5_000 });
      await pasteBox.waitFor({ state: 'visible', timeout: 10_000 });
      return true;
    } catch (error) {
      await page.keyboard.press('Escape');
      throw error;
    }
  }, 120_000);
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  return input;
}

/** Decodes `token` as a user does: Decode Token…, Paste a token…, paste, Enter. */
export async function decodePasted(workbench: Workbench, token: string): Promise<void> {
  const input = await openPasteBox(workbench);
  await input.fill(token);
  await workbench.page.keyboard.press('Enter');
}

/** The content frame of the inspector webview whose heading matches `heading` (webviews render in nested iframes). */
export async function inspectorFrame(workbench: Workbench, heading: RegExp = /./, timeoutMs = 60_000): Promise<Frame> {
  try {
    return await waitFor(`the inspector webview ${heading} to render`, async () => {
      for (const frame of workbench.page.frames()) {
        try {
          const h1 = frame.locator('#app header h1');
          if (await h1.count() > 0 && heading.test(await h1.innerText({ timeout: 1_000 }))) {
            return frame;
          }
        } catch {
          // detached while probing
        }
      }
      return undefined;
    }, timeoutMs, { intervalMs: 250 });
  } catch (error) {
    await workbench.screenshot('inspector-failure');
    throw error;
  }
}

/** The colours that decide how an element reads: its text, its borders, and every background from the root to it. */
export interface PaintedElement {
  readonly text: string;
  readonly color: string;
  readonly borderTop: { readonly color: string; readonly width: number; readonly style: string };
  readonly borderLeft: { readonly color: string; readonly width: number; readonly style: string };
  /** Root first; the last layer is the element itself. */
  readonly layers: readonly Layer[];
}

/** Reads the computed colours of the first element matching `selector` in `frame` (undefined when there is none). */
export function paintedElement(frame: Frame, selector: string): Promise<PaintedElement | undefined> {
  // A string: this file is type-checked without the DOM lib.
  return frame.evaluate<PaintedElement | undefined>(`(() => {
    const element = document.querySelector(${JSON.stringify(selector)});
    if (element === null) return undefined;
    const chain = [];
    for (let n = element; n !== null; n = n.parentElement) chain.unshift(n);
    const layers = chain.map((n) => { const s = getComputedStyle(n); return { background: s.backgroundColor, opacity: Number(s.opacity) }; });
    const s = getComputedStyle(element);
    const side = (name) => ({ color: s.getPropertyValue('border-' + name + '-color'), width: parseFloat(s.getPropertyValue('border-' + name + '-width')), style: s.getPropertyValue('border-' + name + '-style') });
    return { text: element.textContent.trim().slice(0, 60), color: s.color, borderTop: side('top'), borderLeft: side('left'), layers };
  })()`);
}
