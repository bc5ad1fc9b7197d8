import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { contrastOn, contrastRatio, effectiveBackground, over, parseCssColor, relativeLuminance, toHex } from '../../harness/contrast';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

suite('contrast (WCAG 2)', () => {
  test('reads the colour forms getComputedStyle returns', () => {
    assert.deepEqual(parseCssColor('rgb(248, 81, 73)'), { r: 248, g: 81, b: 73, a: 1 });
    assert.deepEqual(parseCssColor('rgba(59, 59, 59, 0.2)'), { r: 59, g: 59, b: 59, a: 0.2 });
    assert.deepEqual(parseCssColor('rgb(59 59 59 / 20%)'), { r: 59, g: 59, b: 59, a: 0.2 });
    assert.deepEqual(parseCssColor('color(srgb 1 0.5 0 / 0.5)'), { r: 255, g: 127.5, b: 0, a: 0.5 });
    assert.deepEqual(parseCssColor('#73c991'), { r: 0x73, g: 0xc9, b: 0x91, a: 1 });
    assert.deepEqual(parseCssColor('transparent'), { r: 0, g: 0, b: 0, a: 0 });
    assert.throws(() => parseCssColor('color(display-p3 1 0 0)'), /Unsupported colour space/);
    assert.throws(() => parseCssColor('red'), /Cannot read the colour "red"/);
  });

  test('relative luminance and ratio match the WCAG definitions', () => {
    const black = parseCssColor('#000000');
    const white = parseCssColor('#ffffff');
    assert.equal(relativeLuminance(black), 0);
    assert.equal(relativeLuminance(white), 1);
    assert.equal(contrastRatio(black, white), 21);
    assert.equal(contrastRatio(white, black), 21, 'symmetric');
    // The reference grey that just passes AA on white, and the two colours found failing on Light Modern.
    assert.equal(round(contrastRatio(parseCssColor('#767676'), white)), 4.54);
    assert.equal(round(contrastRatio(parseCssColor('#f85149'), white)), 3.35);
    assert.equal(round(contrastRatio(parseCssColor('#73c991'), white)), 2);
  });

  test('composites translucent colours and faded layers over what is behind', () => {
    assert.equal(toHex(over(parseCssColor('rgba(0, 0, 0, 0.5)'), parseCssColor('#ffffff'))), '#808080');
    assert.equal(over(parseCssColor('transparent'), parseCssColor('transparent')).a, 0);
    // Nothing painted: the white canvas.
    assert.equal(toHex(effectiveBackground([{ background: 'rgba(0, 0, 0, 0)', opacity: 1 }])), '#ffffff');
    // A dark body, then a 10 % white quote box on it.
    const quote = effectiveBackground([{ background: 'rgb(0, 0, 0)', opacity: 1 }, { background: 'rgba(255, 255, 255, 0.1)', opacity: 1 }]);
    assert.equal(toHex(quote), '#1a1a1a');
    // An element at opacity 0.5 lets half of what is behind show through its own background.
    assert.equal(toHex(effectiveBackground([{ background: 'rgb(255, 255, 255)', opacity: 1 }, { background: 'rgb(0, 0, 0)', opacity: 0.5 }])), '#808080');
  });

  test('text contrast on its real background, faded by opacity', () => {
    const page = [{ background: 'rgb(255, 255, 255)', opacity: 1 }];
    assert.equal(round(contrastOn('rgb(248, 81, 73)', page).ratio), 3.35);
    // The same text at opacity 0.5 is paler, so lower.
    assert.ok(contrastOn('rgb(0, 0, 0)', [...page, { background: 'transparent', opacity: 0.5 }]).ratio < 4);
    assert.equal(toHex(contrastOn('rgb(0, 0, 0)', page).background), '#ffffff');
  });
});
