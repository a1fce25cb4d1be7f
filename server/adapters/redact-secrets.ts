/**
 * The one redactor on the server: log lines (`server/http/redacting-logger.ts`)
 * and everything a bank adapter puts in an error or a bank message pass through it.
 * It removes
 * - card numbers: digit runs of 12–19 that pass Luhn, however they are joined
 *   (at most one space, dash, dot, slash or underscore between digits, or one of
 *   those percent-encoded);
 * - bearer secrets by their shape: `Bearer …`, shopper session tokens (`pks_…`),
 *   the secret part of a client secret (`…_secret_…`), secret keys (`sk_…`);
 * - every secret the caller names (an API key, a card number, a CVC, a bank
 *   token, an account number), wherever it appears;
 * - with `{ accountNumbers: true }` (what a bank wrote: Open Banking messages), also
 *   anything that looks like an account number — 8 or more digits, spaces or
 *   hyphens allowed between them (as a sort code and account number are written),
 *   standing alone. In that mode digit runs inside a longer token (a UUID, a
 *   reference, an interaction id) are left whole, card-like or not: they are ours
 *   and they find the call. Off for log lines, where order numbers and amounts
 *   must stay readable.
 */
import { isLuhnValid } from './is-luhn-valid.ts';

export const REDACTED = '[REDACTED]';

const SECRET_SHAPES = [
  // At a token's start only: an id may end in "…pks_1" (base62 then an attempt number) and is no secret.
  /(?<![A-Za-z0-9])pks_[A-Za-z0-9]+/g,
  /_secret_[A-Za-z0-9]+/g,
  /\bsk_[A-Za-z0-9_-]+/g,
  /\bBearer\s+\S+/gi,
];

const CARD_NUMBER_LIKE = /\d(?:(?:[ ._/-]|%20|%2[dDeEfF]|%5[fF])?\d){11,18}/g;

/** 8+ digits standing alone (not glued to a letter, digit or hyphen), spaces or hyphens allowed between them. */
const ACCOUNT_NUMBER = /(?<![A-Za-z0-9-])\d(?:[ -]?\d){7,}(?![A-Za-z0-9-])/g;
const PART_OF_TOKEN = /[A-Za-z0-9-]/;

/** Named secrets shorter than this are not removed on their own (a 2-digit one would blank half the text); card-like runs still are. */
const MIN_SECRET_LENGTH = 3;

export interface RedactOptions {
  /** Also remove account numbers (8+ digits standing alone), and leave digit runs inside longer tokens whole; default false. */
  accountNumbers?: boolean;
}

/** The mode for text a bank wrote (its error descriptions, status reasons): account numbers too. */
export const BANK_TEXT: RedactOptions = Object.freeze({ accountNumbers: true });

export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = [], options: RedactOptions = {}): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  const named = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH);
  for (const secret of named.sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  if (options.accountNumbers) out = out.replace(ACCOUNT_NUMBER, REDACTED);
  out = out.replace(CARD_NUMBER_LIKE, (run, offset: number, whole: string) => {
    if (options.accountNumbers && (PART_OF_TOKEN.test(whole[offset - 1] ?? '') || PART_OF_TOKEN.test(whole[offset + run.length] ?? ''))) return run;
    return isLuhnValid(run.replace(/%[0-9a-fA-F]{2}|\D/g, '')) ? REDACTED : run;
  });
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

/** Redacted, whitespace folded, cut to `max` characters (default 300): for quoting what a bank said in a message. */
export function quoteRedacted(text: string, secrets: readonly (string | undefined)[] = [], options: RedactOptions & { max?: number } = {}): string {
  const max = options.max ?? 300;
  const redacted = redactSecrets(text, secrets, options).replace(/\s+/g, ' ').trim();
  return redacted.length > max ? `${redacted.slice(0, max - 3)}...` : redacted;
}
