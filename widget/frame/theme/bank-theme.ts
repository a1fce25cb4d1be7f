import type { BankBrandView } from '../../shopper-api.ts';
import { contrastRatio } from './contrast-ratio.ts';

const TOKENS = { primary: '--pk-primary', onPrimary: '--pk-on-primary', accent: '--pk-accent' } as const;

/**
 * The bank's colours as custom properties on `:host`, in a constructed stylesheet: the frame's CSP has no
 * 'unsafe-inline' for styles, so neither a style attribute nor a <style> element would apply. Values go in through
 * CSSOM `setProperty` and must parse as colours, so a brand payload cannot inject rules.
 * A primary / on-primary pair under WCAG AA for text (4.5:1) is dropped as a pair: the Pay button keeps our colours
 * rather than become unreadable. (The accent only fills the inner focus ring; the dark outer ring carries the contrast.)
 */
export function bankThemeSheet(bank: BankBrandView): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.insertRule(':host{}');
  const style = (sheet.cssRules[0] as CSSStyleRule).style;
  const colors: Record<string, string> = {};
  for (const [key, value] of Object.entries(bank.colors ?? {})) {
    if (typeof value === 'string' && CSS.supports('color', value)) colors[key] = value;
  }
  // Judged on what the Pay button would show, defaults included; NaN (a translucent colour) fails too.
  if (!(contrastRatio(colors.primary ?? '#1f3fbf', colors.onPrimary ?? '#fff') >= 4.5)) delete colors.primary, delete colors.onPrimary;
  for (const [key, token] of Object.entries(TOKENS)) if (colors[key]) style.setProperty(token, colors[key]);
  return sheet;
}
