/**
 * Kept for callers of its two names: the open-banking adapter's text goes through the server's one redactor,
 * `server/adapters/redact-secrets.ts`, in its bank-text mode (`BANK_TEXT`: account numbers — 8 or more digits,
 * spaces or hyphens allowed between them, standing alone — as well as the call's secrets, card numbers and bearer
 * shapes; digit runs inside a UUID or a reference are left whole, they are ours and help find a call).
 */
import { BANK_TEXT, quoteRedacted, redactSecrets } from '../redact-secrets.ts';

/** @deprecated use `redactSecrets(text, secrets, BANK_TEXT)` from server/adapters/redact-secrets.ts. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  return redactSecrets(text, secrets, BANK_TEXT);
}

/** @deprecated use `quoteRedacted(text, secrets, { ...BANK_TEXT, max })` from server/adapters/redact-secrets.ts. */
export function quoteScrubbed(text: string, secrets: readonly (string | undefined)[] = [], max = 300): string {
  return quoteRedacted(text, secrets, { ...BANK_TEXT, max });
}
