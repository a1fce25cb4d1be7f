/**
 * Scrubs text before it goes into an error message or a log line: the secrets of the call (access tokens,
 * authorization codes, client assertions) and anything that looks like an account number: 8 or more digits,
 * spaces or hyphens allowed between them (as a sort code and account number are written), standing alone — not
 * part of a longer token such as a UUID or a reference, which are ours and help find a call.
 */
const ACCOUNT_NUMBER = /(?<![A-Za-z0-9-])\d(?:[ -]?\d){7,}(?![A-Za-z0-9-])/g;

export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join('[REDACTED]');
  }
  return out.replace(ACCOUNT_NUMBER, '[REDACTED]');
}

/** Scrubbed and cut to `max` characters, for quoting what a bank said. */
export function quoteScrubbed(text: string, secrets: readonly (string | undefined)[] = [], max = 300): string {
  const scrubbed = scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return scrubbed.length > max ? `${scrubbed.slice(0, max - 3)}...` : scrubbed;
}
