import { existsSync, statSync } from 'node:fs';
import * as assert from 'node:assert/strict';
import type { Workbench } from './workbench';

/** The four built-in themes a UI check looks at, with the class the workbench root carries in each. */
export const themes = {
  light: { name: 'Default Light Modern', workbenchClass: 'vs' },
  dark: { name: 'Default Dark Modern', workbenchClass: 'vs-dark' },
  highContrastDark: { name: 'Default High Contrast', workbenchClass: 'hc-black' },
  highContrastLight: { name: 'Default High Contrast Light', workbenchClass: 'hc-light' },
} as const;
export type ThemeKey = keyof typeof themes;

/** Switches the workbench to `theme` and waits until its root shows it. */
export async function switchTheme(workbench: Workbench, theme: ThemeKey): Promise<void> {
  const { name, workbenchClass } = themes[theme];
  const root = workbench.page.locator(`.monaco-workbench.${workbenchClass}`);
  await workbench.updateSettings({ 'workbench.colorTheme': name });
  try {
    await root.waitFor({ timeout: 10_000 });
  } catch {
    // The settings file watcher can lag on a busy machine: pick the theme as a user would instead.
    await workbench.runCommand('Preferences: Color Theme');
    const input = workbench.page.locator('.quick-input-widget input.input');
    await input.fill(name);
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
    await workbench.page.keyboard.press('Enter');
    await root.waitFor({ timeout: 30_000 });
  }
}

/**
 * Screenshots the current state in the light and the dark theme (`<name>-light.png`, `<name>-dark.png`, kept with
 * the run's results), then returns to the light theme the other checks expect. `settle` runs after each switch
 * (a webview follows the workbench's theme a little later).
 */
export async function screenshotLightAndDark(workbench: Workbench, name: string, settle?: (theme: ThemeKey) => Promise<void>): Promise<string[]> {
  const shots: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await switchTheme(workbench, theme);
    await settle?.(theme);
    const shot = await workbench.screenshot(`${name}-${theme}`);
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000, `a ${theme} screenshot was written`);
    shots.push(shot);
  }
  await switchTheme(workbench, 'light');
  return shots;
}
