// WCAG 2 contrast of colours as a browser's getComputedStyle reports them, for the UI checks.

/** sRGB channels 0–255 and alpha 0–1. */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/** One element on the way from the root to the element measured: its own background and opacity. */
export interface Layer {
  readonly background: string;
  readonly opacity: number;
}

/** WCAG AA minimums: normal text (1.4.3) and the parts of a control a user must see (1.4.11). */
export const minimumContrast = { text: 4.5, nonText: 3 } as const;

const transparent: Rgba = { r: 0, g: 0, b: 0, a: 0 };
/** The canvas under a page whose root paints nothing. */
const white: Rgba = { r: 255, g: 255, b: 255, a: 1 };

/** `rgb(…)`, `rgba(…)` (comma or space syntax), `color(srgb …)` (what color-mix computes to), `#rrggbb[aa]`, `transparent`. */
export function parseCssColor(text: string): Rgba {
  const value = text.trim().toLowerCase();
  if (value === 'transparent') {
    return transparent;
  }
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(value);
  if (hex !== null) {
    const n = (i: number) => parseInt(hex[1]!.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: hex[2] === undefined ? 1 : parseInt(hex[2], 16) / 255 };
  }
  const fn = /^(rgba?|color)\((.*)\)$/.exec(value);
  if (fn !== null) {
    const [channels, alpha] = fn[2]!.split('/').map((s) => s.trim());
    let parts = channels!.split(/[\s,]+/).filter((p) => p !== '');
    const srgb = fn[1] === 'color';
    if (srgb) {
      if (parts[0] !== 'srgb') {
        throw new Error(`Unsupported colour space in "${text}"`);
      }
      parts = parts.slice(1);
    }
    const alphaText = alpha ?? (srgb ? undefined : parts[3]);
    const channel = (p: string | undefined) => {
      const v = Number.parseFloat(p ?? 'NaN');
      return p?.endsWith('%') === true ? (v / 100) * 255 : srgb ? v * 255 : v;
    };
    const a = alphaText === undefined ? 1 : alphaText.endsWith('%') ? Number.parseFloat(alphaText) / 100 : Number.parseFloat(alphaText);
    const color = { r: channel(parts[0]), g: channel(parts[1]), b: channel(parts[2]), a };
    if ([color.r, color.g, color.b, color.a].every(Number.isFinite)) {
      return color;
    }
  }
  throw new Error(`Cannot read the colour "${text}"`);
}

/** Source-over compositing of `top` on `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a + bottom.a * (1 - top.a);
  if (a === 0) {
    return transparent;
  }
  const mix = (t: number, b: number) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
}

/** WCAG 2 relative luminance of an opaque colour. */
export function relativeLuminance(color: Rgba): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b);
}

/** WCAG 2 contrast ratio (1–21) of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * What is painted behind an element's content: the backgrounds from the root down to it (`layers`,
 * root first) over a white canvas. An ancestor's opacity fades everything inside it, approximated
 * by multiplying the alpha of each layer below it.
 */
export function effectiveBackground(layers: readonly Layer[]): Rgba {
  let painted = white;
  let fade = 1;
  for (const layer of layers) {
    fade *= layer.opacity;
    const own = parseCssColor(layer.background);
    painted = over({ ...own, a: own.a * fade }, painted);
  }
  return painted;
}

/** The contrast of `foreground` (faded by the layers' opacity) on what the layers paint. */
export function contrastOn(foreground: string, layers: readonly Layer[]): { ratio: number; background: Rgba; foreground: Rgba } {
  const background = effectiveBackground(layers);
  const fade = layers.reduce((f, l) => f * l.opacity, 1);
  const own = parseCssColor(foreground);
  const shown = over({ ...own, a: own.a * fade }, background);
  return { ratio: contrastRatio(shown, background), background, foreground: shown };
}

/** `#rrggbb` of an opaque colour, for failure messages. */
export function toHex(color: Rgba): string {
  return `#${[color.r, color.g, color.b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}
