import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { contrastOn, contrastRatio, effectiveBackground, minimumContrast, over, parseCssColor, toHex, type Rgba } from '../harness/contrast';
import { mintToken } from '../integration/inspectorSandbox';
import { decodePasted, inspectorFrame, pageThemeSelector, paintedElement, type PaintedElement } from './inspectorPage';
import { screenshotLightAndDark, switchTheme, type ThemeKey } from './themes';
import { tearDownWorkbench } from './tokenFlows';
import { openWorkbench, type Workbench } from './workbench';

const screenshotSuffix: Record<'highContrastDark' | 'highContrastLight', string> = { highContrastDark: 'hc-dark', highContrastLight: 'hc-light' };

/** What is checked on one element: its text on its own background, or a border / a track against what surrounds it. */
type Probe =
  | { readonly what: string; readonly selector: string; readonly kind: 'text' }
  | { readonly what: string; readonly selector: string; readonly kind: 'leftBorder' }
  | { readonly what: string; readonly selector: string; readonly kind: 'track'; readonly fill: string };

interface Measured {
  readonly what: string;
  readonly ratio: number;
  readonly minimum: number;
  readonly detail: string;
}

const visibleBorder = (b: PaintedElement['borderTop']) => b.width >= 1 && b.style !== 'none' && b.style !== 'hidden';

/** The ratio that decides whether the probe's element can be read or seen, with the colours that gave it. */
function measure(probe: Probe, element: PaintedElement, fill: PaintedElement | undefined): Measured {
  const around = element.layers.slice(0, -1);
  if (probe.kind === 'text') {
    const { ratio, foreground, background } = contrastOn(element.color, element.layers);
    return { what: probe.what, ratio, minimum: minimumContrast.text, detail: `${toHex(foreground)} on ${toHex(background)} ("${element.text}")` };
  }
  const page = effectiveBackground(around);
  const shown = (color: string): Rgba => over(parseCssColor(color), page);
  if (probe.kind === 'leftBorder') {
    const border = visibleBorder(element.borderLeft) ? shown(element.borderLeft.color) : page;
    return { what: probe.what, ratio: contrastRatio(border, page), minimum: minimumContrast.nonText, detail: `${toHex(border)} on ${toHex(page)}` };
  }
  // A track is seen by its outline or by its own background, whichever stands out more from the page.
  const outline = visibleBorder(element.borderTop) ? shown(element.borderTop.color) : page;
  const track = effectiveBackground(element.layers);
  const ratio = Math.max(contrastRatio(outline, page), contrastRatio(track, page));
  const filled = fill === undefined ? track : effectiveBackground(fill.layers);
  const fillRatio = contrastRatio(filled, track);
  return {
    what: probe.what,
    ratio: Math.min(ratio, fillRatio),
    minimum: minimumContrast.nonText,
    detail: `track ${toHex(track)} outlined ${toHex(outline)} on ${toHex(page)}: ${ratio.toFixed(2)}:1; fill ${toHex(filled)} on the track: ${fillRatio.toFixed(2)}:1`,
  };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A copy of a real token with other times: same header (a key the cluster has), no valid signature any more. */
function retimed(token: string, expFromNowSeconds: number): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const exp = now + expFromNowSeconds;
  return `${header}.${b64url({ ...claims, iat: exp - 3600, nbf: exp - 3600, exp })}.${signature}`;
}

suite('Token Inspector contrast in every theme (UI)', () => {
  let workbench: Workbench;
  let token: string;

  suiteSetup(async () => {
    workbench = await openWorkbench();
    await switchTheme(workbench, 'light');
    await workbench.openViewContainer('Kubernetes ServiceAccount Tokens');
    token = await mintToken('build', 'ci-bot', { expirationSeconds: 3600 });
  });

  suiteTeardown(() => tearDownWorkbench(workbench, async (w) => {
    await w.runCommand('View: Close All Editors');
    await switchTheme(w, 'light');
  }));

  /**
   * Measures `probes` in the light, dark and both high contrast themes (screenshots `<name>-light/-dark/-hc-dark/-hc-light`),
   * and fails listing every element below WCAG AA: 4.5:1 for text, 3:1 for borders and the lifetime bar.
   */
  async function assertContrastInEveryTheme(frame: Frame, name: string, probes: readonly Probe[]): Promise<void> {
    const failures: string[] = [];
    const report: string[] = [];
    const measureAll = async (theme: ThemeKey) => {
      await frame.locator(pageThemeSelector[theme]).waitFor({ timeout: 30_000 });
      // The page's colour variables arrive with the class: measure after the next two frames have painted.
      await frame.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
      for (const probe of probes) {
        const element = await paintedElement(frame, probe.selector);
        assert.ok(element !== undefined, `${probe.what}: nothing matches ${probe.selector} in the ${theme} theme`);
        const fill = probe.kind === 'track' ? await paintedElement(frame, probe.fill) : undefined;
        const m = measure(probe, element, fill);
        const line = `${theme}: ${m.what} ${m.ratio.toFixed(2)}:1 (needs ${m.minimum}:1), ${m.detail}`;
        report.push(line);
        if (m.ratio < m.minimum) {
          failures.push(line);
        }
      }
    };
    await screenshotLightAndDark(workbench, name, measureAll);
    for (const theme of ['highContrastDark', 'highContrastLight'] as const) {
      await switchTheme(workbench, theme);
      await measureAll(theme);
      await workbench.screenshot(`${name}-${screenshotSuffix[theme]}`);
    }
    await switchTheme(workbench, 'light');
    console.log(report.map((l) => `      ${l}`).join('\n'));
    assert.deepEqual(failures, [], `below WCAG AA:\n${failures.join('\n')}`);
  }

  test('a verified token: badge, verification, success result, countdown and lifetime bar pass AA in Light, Dark and both High Contrast themes', async () => {
    await decodePasted(workbench, token);
    const frame = await inspectorFrame(workbench, /build\/ci-bot/);
    await frame.locator('#verification.state-verified').waitFor({ timeout: 60_000 });
    await frame.locator('button', { hasText: 'Who am I' }).click();
    await frame.locator('#check-whoami .result.ok').waitFor({ timeout: 30_000 });
    await workbench.page.mouse.move(0, 0);
    await assertContrastInEveryTheme(frame, 'inspector-contrast-verified', [
      { what: 'VERIFIED badge', selector: '#verified-badge.ok', kind: 'text' },
      { what: 'verification title', selector: '#verification.state-verified .state-title', kind: 'text' },
      { what: 'verification detail', selector: '#verification.state-verified p', kind: 'text' },
      { what: 'verified banner edge', selector: '#verification.state-verified', kind: 'leftBorder' },
      { what: 'countdown', selector: '#countdown', kind: 'text' },
      { what: 'success result (Who am I)', selector: '#check-whoami .result.ok', kind: 'text' },
      { what: 'lifetime bar track', selector: '#lifetime-bar', kind: 'track', fill: '#lifetime-fill' },
    ]);
  });

  test('an expired, forged token: error texts (Expired…, rejected check), UNVERIFIED badge and error banner pass AA in every theme', async () => {
    await workbench.runCommand('View: Close All Editors');
    await decodePasted(workbench, retimed(token, -600));
    const frame = await inspectorFrame(workbench, /build\/ci-bot/);
    await frame.locator('#verification.state-invalid-signature').waitFor({ timeout: 60_000 });
    await frame.locator('#countdown.expired').waitFor({ timeout: 10_000 });
    await frame.locator('button', { hasText: 'Who am I' }).click();
    await frame.locator('#check-whoami .result.bad').waitFor({ timeout: 30_000 });
    await workbench.page.mouse.move(0, 0);
    await assertContrastInEveryTheme(frame, 'inspector-contrast-expired', [
      { what: 'UNVERIFIED badge', selector: '#verified-badge.unverified', kind: 'text' },
      { what: 'verification title (invalid signature)', selector: '#verification .state-title', kind: 'text' },
      { what: 'error banner edge', selector: '#verification.state-invalid-signature', kind: 'leftBorder' },
      { what: 'countdown (expired)', selector: '#countdown.expired', kind: 'text' },
      { what: 'error result (rejected by the API server)', selector: '#check-whoami .result.bad', kind: 'text' },
    ]);
  });

  test('a token about to expire: the warning countdown passes AA in every theme', async () => {
    await workbench.runCommand('View: Close All Editors');
    await decodePasted(workbench, retimed(token, 240));
    const frame = await inspectorFrame(workbench, /build\/ci-bot/);
    await frame.locator('#countdown.soon').waitFor({ timeout: 60_000 });
    await workbench.page.mouse.move(0, 0);
    await assertContrastInEveryTheme(frame, 'inspector-contrast-soon', [
      { what: 'countdown (expires soon)', selector: '#countdown.soon', kind: 'text' },
    ]);
  });
});
