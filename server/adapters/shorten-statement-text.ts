/**
 * The statement text a bank gets for a charge: the merchant's description (up to
 * 1000 characters at Paykey) shortened to the bank's `maxDescriptionLength`.
 * Deterministic — the same text and limit give the same result — and cut only
 * between grapheme clusters, so no surrogate pair, emoji sequence or accent is
 * broken: whole clusters that fit, trailing spaces dropped, then "…". Text
 * within the limit is returned as is; a limit of 0 gives "" (send none).
 */
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const ELLIPSIS = '\u2026';

export function shortenStatementText(text: string, maxLength: number): string {
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new TypeError(`shortenStatementText: expected maxLength to be an integer of 0 or more, received ${String(maxLength)}`);
  }
  if (text.length <= maxLength) return text;
  if (maxLength === 0) return '';
  const room = maxLength - ELLIPSIS.length;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > room) break;
    kept += segment;
  }
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
