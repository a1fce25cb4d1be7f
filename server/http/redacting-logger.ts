import type { Logger } from './logger.ts';

/**
 * Wraps a logger so no string it is given can carry a card number or one of
 * our bearer secrets, whoever put it there: a client can type a card number
 * or its client secret into a URL, and the request log records paths.
 * Card numbers are digit runs of 12–19 (spaces or dashes allowed) that pass Luhn.
 */
export function redactingLogger(logger: Logger): Logger {
  const scrubbed = (log: Logger['info']): Logger['info'] => (event, fields) => log(event, fields && (scrub(fields) as Record<string, unknown>));
  return { info: scrubbed(logger.info), warn: scrubbed(logger.warn), error: scrubbed(logger.error) };
}

const SECRETS = [
  /pks_[A-Za-z0-9]+/g, // shopper session tokens
  /_secret_[A-Za-z0-9]+/g, // the secret part of a client secret
  /\bsk_[A-Za-z0-9_-]+/g, // merchant secret keys
  /\bBearer\s+\S+/gi,
];

/** A digit run of 12–19 with at most one separator between digits: space, dash, dot, slash, underscore, or one of those percent-encoded. */
const CARD_NUMBER_LIKE = /\d(?:(?:[ ._/-]|%20|%2[dDeEfF]|%5[fF])?\d){11,18}/g;

export function scrubText(text: string): string {
  let out = text.replace(CARD_NUMBER_LIKE, (run) => (isLuhnValid(run.replace(/%[0-9a-fA-F]{2}|\D/g, '')) ? '[REDACTED]' : run));
  for (const pattern of SECRETS) out = out.replace(pattern, '[REDACTED]');
  return out;
}

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  return value;
}

function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}
