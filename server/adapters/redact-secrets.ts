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
 *   token, an account number), wherever it appears.
 */
import { isLuhnValid } from './is-luhn-valid.ts';

export const REDACTED = '[REDACTED]';

const SECRET_SHAPES = [
  /pks_[A-Za-z0-9]+/g,
  /_secret_[A-Za-z0-9]+/g,
  /\bsk_[A-Za-z0-9_-]+/g,
  /\bBearer\s+\S+/gi,
];

const CARD_NUMBER_LIKE = /\d(?:(?:[ ._/-]|%20|%2[dDeEfF]|%5[fF])?\d){11,18}/g;

/** Named secrets shorter than this are not removed on their own (a 2-digit one would blank half the text); card-like runs still are. */
const MIN_SECRET_LENGTH = 3;

export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  // Longest first, so a secret containing another is removed whole.
  const named = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH);
  for (const secret of named.sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  out = out.replace(CARD_NUMBER_LIKE, (run) => (isLuhnValid(run.replace(/%[0-9a-fA-F]{2}|\D/g, '')) ? REDACTED : run));
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}
