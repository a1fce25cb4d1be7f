import type { OfferLocale } from '../adapters/bank-offers.ts';

/**
 * The language of offer titles and terms from the request's `Accept-Language` (RFC 9110 §12.5.4): the most preferred
 * of the checkout's two languages — any `zh` tag is Chinese (`zh-CN`), any `en` tag English — and English when the
 * header names neither. The frame sends its own language in the header (the one the shopper reads it in).
 */
export function offerLocaleOf(acceptLanguage: string | undefined): OfferLocale {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}
