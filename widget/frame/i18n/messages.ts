import { en, type Messages } from './en.ts';

export type { Messages };

/** The languages the wallet frame speaks. `zh-CN` is Simplified Chinese as used in mainland China. */
export type Locale = 'en' | 'zh-CN';

/** Text a server sends in several languages (bank names): `en` always, the others when the bank has them. */
export type LocalizedText = { en: string } & Partial<Record<Exclude<Locale, 'en'>, string>>;

/**
 * The wallet locale one BCP 47 tag asks for, or null when the frame has no table for it.
 * Chinese is matched by script, as CLDR's likely subtags fill it in (`Intl.Locale#maximize`): `zh`, `zh-CN`,
 * `zh-Hans`, `zh-Hans-*`, `zh-SG`, `zh-MY` are Simplified → `zh-CN`; `zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant-*` are
 * Traditional, which the frame does not have yet → null, so the next language the shopper reads is tried (and
 * English at the end): a Traditional-Chinese reader is not shown Simplified characters they did not ask for.
 * `en` and every `en-*` → `en`. Tags are matched case-insensitively; `_` is read as `-` (`zh_CN`).
 */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(tag.trim().replace(/_/g, '-')).maximize();
  } catch {
    return null; // Not a well-formed tag (e.g. "*" or "english"): no match, the next preference is tried.
  }
  if (locale.language === 'en') return 'en';
  if (locale.language === 'zh' && locale.script === 'Hans') return 'zh-CN';
  return null;
}

/**
 * The frame's language: the merchant's `locale` attribute when the frame speaks it, else the first of the browser's
 * languages (`navigator.languages`, in the shopper's order) that it speaks, else English. An attribute naming a
 * language the frame does not have (`fr`) falls through to the browser's languages.
 */
export function resolveLocale(requested: string | null | undefined, browser: readonly string[]): Locale {
  for (const tag of [requested, ...browser]) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return 'en';
}

const loaded = new Map<Locale, Promise<Messages>>([['en', Promise.resolve(en)]]);

/**
 * The table for a locale. English is in the frame's first chunk; Chinese is its own chunk, fetched on first use
 * (a failed download is forgotten, so the next call tries again).
 */
export function loadMessages(locale: Locale): Promise<Messages> {
  let messages = loaded.get(locale);
  if (!messages) {
    messages = import('./zh-CN.ts').then((module) => module.zhCN);
    loaded.set(locale, messages);
    messages.catch(() => loaded.delete(locale));
  }
  return messages;
}

/** `{ en: 'Lotus Bank', 'zh-CN': '莲花银行' }` in the locale, or its English when that locale is missing. */
export function localized(text: LocalizedText, locale: Locale): string {
  return (locale === 'en' ? undefined : text[locale]) ?? text.en;
}

/** A card brand code (`visa`) as a display name (`Visa`). */
export function brandName(m: Messages, brand: string): string {
  return m.brands[brand.toLowerCase()] ?? brand;
}
