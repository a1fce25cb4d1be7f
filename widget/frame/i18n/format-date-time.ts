import type { Locale } from './messages.ts';

/**
 * An ISO 8601 instant as the shopper reads dates in their language, in their own time zone:
 * `en` "Dec 1, 2026, 2:05 PM", `zh-CN` "2026年12月1日 14:05". Throws on a string that is not a date,
 * rather than showing "Invalid Date" on a receipt.
 */
export function formatDateTime(iso: string, locale: Locale, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`expected an ISO 8601 date-time, got ${JSON.stringify(iso)}`);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}
