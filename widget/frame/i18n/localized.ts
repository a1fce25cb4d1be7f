import type { Locale, LocalizedText, Messages } from './messages.ts';

// The later screens' helpers (confirm, receipt, manage cards, offers, paying by bank), apart from `messages.ts`, whose
// code is in the first screen's chunk.

/** `{ en: 'Lotus Bank', 'zh-CN': '莲花银行' }` in the locale, or its English when that locale is missing. */
export function localized(text: LocalizedText, locale: Locale): string {
  return (locale === 'en' ? undefined : text[locale]) ?? text.en;
}

/** A card brand code (`visa`) as a display name (`Visa`). */
export function brandName(m: Messages, brand: string): string {
  return m.brands[brand.toLowerCase()] ?? brand;
}
