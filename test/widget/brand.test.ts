/**
 * Brands in the frame: the documented `--paykey-*` custom properties set through CSSOM only, a brand failing a rule
 * refused as a whole (the element then shows what it inherits: the operator's brand), and the contrast arithmetic the
 * server shares.
 */
import type { BankBrandView } from '../../widget/shopper-api.ts';
import { applyBrand, brandSheet, paykeyProperties } from '../../widget/frame/theme/bank-theme.ts';
import { brandProblems } from '../../widget/frame/theme/brand-problems.ts';
import { contrastRatio } from '../../widget/frame/theme/contrast-ratio.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { lotusBrand, operatorBrand, sandboxBrand } from './support/fixtures.ts';

describe('brandSheet and applyBrand', () => {
  it('sets the documented --paykey-* properties from a brand', () => {
    const style = (brandSheet(lotusBrand)!.cssRules[0] as CSSStyleRule).style;
    equal(style.getPropertyValue(paykeyProperties.primary), '#9c1451');
    equal(style.getPropertyValue('--paykey-color-on-primary'), '#ffffff');
    equal(style.getPropertyValue('--paykey-color-accent'), '#9c1451');
    equal(style.getPropertyValue('--paykey-color-background'), '#fffafc');
    equal(style.getPropertyValue('--paykey-color-text'), '#2b1320');
    equal(style.getPropertyValue('--paykey-color-border'), '#8a5a70');
    equal(style.getPropertyValue('--paykey-radius'), '12px');
    equal(style.getPropertyValue('--paykey-font'), "'Noto Sans SC', 'PingFang SC', system-ui, sans-serif");
  });

  it('refuses a brand failing a rule as a whole, so nothing of it is applied', () => {
    const refused = (patch: Partial<BankBrandView>) => brandSheet({ ...lotusBrand, ...patch });
    equal(refused({ colors: { ...lotusBrand.colors, text: '#777', background: '#fff' } }), null, 'text 4.48:1');
    equal(refused({ colors: { ...lotusBrand.colors, accent: '#f0a000', background: '#ffffff' } }), null, 'focus ring 2.16:1');
    equal(refused({ colors: { ...lotusBrand.colors, onPrimary: 'red;}*{display:none' } }), null, 'not a colour');
    equal(refused({ colors: { ...lotusBrand.colors, primary: 'rgb(15 76 129 / 50%)' } }), null, 'translucent');
    equal(refused({ fontStack: 'x; color: red, sans-serif' }), null);
    equal(refused({ radius: '40px' }), null);
  });

  it('replaces the brand it applied before, and removes it for a refused one', () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    const own = new CSSStyleSheet();
    root.adoptedStyleSheets = [own];
    equal(applyBrand(root, lotusBrand), true);
    equal(root.adoptedStyleSheets.length, 2);
    equal(applyBrand(root, sandboxBrand), true);
    equal(root.adoptedStyleSheets.length, 2, 'replaced, not stacked');
    equal(((root.adoptedStyleSheets[1].cssRules[0]) as CSSStyleRule).style.getPropertyValue('--paykey-color-primary'), '#0b5d3b');
    equal(applyBrand(root, { ...sandboxBrand, colors: { ...sandboxBrand.colors, primary: '#ffffff' } }), false);
    deepEqual(root.adoptedStyleSheets, [own], 'the element shows what it inherits');
  });
});

describe('brandProblems', () => {
  it('passes the fixtures’ brands, and names a failing pair with its ratio as the server does', () => {
    for (const brand of [operatorBrand, sandboxBrand, lotusBrand]) deepEqual(brandProblems(brand), [], brand.id);
    deepEqual(brandProblems({ ...lotusBrand, colors: { ...lotusBrand.colors, text: '#777', background: '#fff' } }), [
      'text #777 on background #fff is 4.48:1, expected at least 4.5:1 (WCAG 2.2 AA, text)',
    ]);
  });
});

describe('contrastRatio', () => {
  it('computes WCAG 2 ratios of opaque hex colours, in the browser too', () => {
    equal(contrastRatio('#000', '#fff').toFixed(1), '21.0');
    equal(contrastRatio('#fff', '#fff'), 1);
    equal(contrastRatio('#767676', '#fff').toFixed(2), '4.54');
    ok(Number.isNaN(contrastRatio('not a colour', '#fff')));
  });
});
