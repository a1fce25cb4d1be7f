import { enFirstScreen, type FirstScreenMessages } from './en-first-screen.ts';
import type { Messages } from './en.ts';

export type { FirstScreenMessages, Messages };

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
  const normal = tag.trim().replace(/_/g, '-');
  // The tags merchants and browsers send most, answered without `maximize`: its first call in a frame loads the likely
  // subtags, the largest piece of script time before the first screen (profiled in Chromium). Same answers as below.
  if (/^en(-[a-z]{2})?$/i.test(normal)) return 'en';
  if (/^zh(-cn|-hans(-cn)?)?$/i.test(normal)) return 'zh-CN';
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(normal).maximize();
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

const firstScreen = new Map<Locale, Promise<FirstScreenMessages>>([['en', Promise.resolve(enFirstScreen)]]);
const whole = new Map<Locale, Promise<Messages>>();

/** `load()` once per locale; a failed download is forgotten, so the next call tries again. */
function once<T>(tables: Map<Locale, Promise<T>>, locale: Locale, load: () => Promise<T>): Promise<T> {
  let table = tables.get(locale);
  if (!table) {
    table = load();
    tables.set(locale, table);
    table.catch(() => tables.delete(locale));
  }
  return table;
}

/**
 * What the first screen of a new shopper needs in a locale (`en-first-screen.ts`): English is in the frame's first chunk,
 * Chinese is a chunk of its own, fetched on first use.
 */
export function loadFirstScreenMessages(locale: Locale): Promise<FirstScreenMessages> {
  return once(firstScreen, locale, () => import('./zh-CN-first-screen.ts').then((module) => module.zhCNFirstScreen));
}

/**
 * The whole table rather than the first screen's part: `FlowState.m` holds the part until the whole table loads, and
 * only the whole table has the later screens' keys (`codeMessages` is one of them).
 */
export const isWholeTable = (m: FirstScreenMessages): m is Messages => 'codeMessages' in m;

/** The whole table for a locale (the first screen's part and the later screens'), fetched on first use. */
export function loadMessages(locale: Locale): Promise<Messages> {
  return once(whole, locale, wholeTables[locale]);
}

/** One `import()` per table, each in its own function: the build then preloads only the chunks of the one asked for. */
const wholeTables: Record<Locale, () => Promise<Messages>> = {
  en: () => import('./en.ts').then((module) => module.en),
  'zh-CN': () => import('./zh-CN.ts').then((module) => module.zhCN),
};
