/**
 * How a brand (a partner bank's, or the wallet operator's) reaches the frame's screens: as these documented custom
 * properties, set on `:host` of the element that shows the brand and inherited by everything inside it. Styles use
 * them with the operator's default as fallback, e.g. `background: var(--paykey-color-primary, #1f3fbf)`.
 *
 * | property                    | brand field        | used for                                                  |
 * |-----------------------------|--------------------|-----------------------------------------------------------|
 * | `--paykey-color-primary`    | `colors.primary`   | Pay and other primary buttons, the chosen card's border   |
 * | `--paykey-color-on-primary` | `colors.onPrimary` | text on primary (≥ 4.5:1 against it)                      |
 * | `--paykey-color-accent`     | `colors.accent`    | the focus ring (≥ 3:1 against the background)             |
 * | `--paykey-color-background` | `colors.background`| the surface of the screens                                |
 * | `--paykey-color-text`       | `colors.text`      | body text (≥ 4.5:1 against the background)                |
 * | `--paykey-color-border`     | `colors.border`    | borders of fields and cards (≥ 3:1 against the background)|
 * | `--paykey-radius`           | `radius`           | corners of buttons, fields and cards (0px–24px)           |
 * | `--paykey-font`             | `fontStack`        | the font-family list (ends in a generic family)           |
 *
 * The screens before a card is chosen show the operator's brand (`CheckoutView.operator`, applied by the wallet
 * element); a card's screens (confirm, receipt) apply that card's bank's brand on their own host, over it. These
 * properties live inside the wallet's cross-origin frame: the merchant's page cannot set them.
 */
import type { BankBrandView } from '../../shopper-api.ts';
import { brandProblems } from './brand-problems.ts';

/** Brand field → custom property. */
export const paykeyProperties = {
  primary: '--paykey-color-primary',
  onPrimary: '--paykey-color-on-primary',
  accent: '--paykey-color-accent',
  background: '--paykey-color-background',
  text: '--paykey-color-text',
  border: '--paykey-color-border',
  radius: '--paykey-radius',
  font: '--paykey-font',
} as const;

/**
 * The brand as custom properties on `:host`, in a constructed stylesheet, or null when the brand breaks a rule of
 * `brandProblems` (contrast, colour syntax, radius, font, logo, name, support): a refused brand is never partly applied.
 * The frame's CSP has no 'unsafe-inline' for styles, so neither a style attribute nor a <style> element would
 * apply; values go in through CSSOM `setProperty` only, after the check, so a brand payload cannot inject rules.
 */
export function brandSheet(brand: BankBrandView): CSSStyleSheet | null {
  if (brandProblems(brand).length > 0) return null;
  const sheet = new CSSStyleSheet();
  sheet.insertRule(':host{}');
  const style = (sheet.cssRules[0] as CSSStyleRule).style;
  for (const key of ['primary', 'onPrimary', 'accent', 'background', 'text', 'border'] as const) {
    style.setProperty(paykeyProperties[key], brand.colors[key]);
  }
  style.setProperty(paykeyProperties.radius, brand.radius);
  style.setProperty(paykeyProperties.font, brand.fontStack);
  return sheet;
}

/** Whether `brand` meets every rule of `brandProblems`: only then are its logo and colours shown. */
export const brandFits = (brand: BankBrandView): boolean => brandProblems(brand).length === 0;

const applied = new WeakMap<ShadowRoot, CSSStyleSheet>();

/**
 * Shows `brand` on the element owning `root` (its `:host`), replacing the brand it showed before; with no brand, or a
 * refused one, the element shows whatever it inherits (the operator's brand, or the built-in defaults).
 * Returns whether the brand was applied.
 */
export function applyBrand(root: ShadowRoot, brand: BankBrandView | null | undefined): boolean {
  const sheet = brand ? brandSheet(brand) : null;
  if (brand && !sheet) console.warn(`Paykey: brand "${brand.id}" refused: ${brandProblems(brand).join('; ')}`);
  const previous = applied.get(root);
  const others = root.adoptedStyleSheets.filter((adopted) => adopted !== previous);
  root.adoptedStyleSheets = sheet ? [...others, sheet] : others;
  if (sheet) applied.set(root, sheet);
  else applied.delete(root);
  return sheet !== null;
}
