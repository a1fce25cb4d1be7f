import { redactSecrets } from '../adapters/redact-secrets.ts';
import type { Logger } from './logger.ts';

/**
 * Wraps a logger so no string it is given can carry a card number or one of
 * our bearer secrets, whoever put it there: a client can type a card number
 * or its client secret into a URL, and the request log records paths.
 * The rules are the server's one redactor (`server/adapters/redact-secrets.ts`).
 */
export function redactingLogger(logger: Logger): Logger {
  const scrubbed = (log: Logger['info']): Logger['info'] => (event, fields) => log(event, fields && (scrub(fields) as Record<string, unknown>));
  return { info: scrubbed(logger.info), warn: scrubbed(logger.warn), error: scrubbed(logger.error) };
}

export function scrubText(text: string): string {
  return redactSecrets(text);
}

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  return value;
}
