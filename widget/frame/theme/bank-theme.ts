import type { BankBrandView } from '../../../server/routes/shopper-api-types.ts';

const TOKENS = { primary: '--pk-primary', onPrimary: '--pk-on-primary', accent: '--pk-accent' } as const;

/**
 * The bank's colours as custom properties on `:host`, in a constructed stylesheet: the frame's CSP has no
 * 'unsafe-inline' for styles, so neither a style attribute nor a <style> element would apply. Values go in through
 * CSSOM `setProperty` and must parse as colours, so a brand payload cannot inject rules.
 */
export function bankThemeSheet(bank: BankBrandView): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.insertRule(':host{}');
  const style = (sheet.cssRules[0] as CSSStyleRule).style;
  for (const [key, token] of Object.entries(TOKENS)) {
    const value = bank.colors?.[key as keyof typeof TOKENS];
    if (typeof value === 'string' && CSS.supports('color', value)) style.setProperty(token, value);
  }
  return sheet;
}
