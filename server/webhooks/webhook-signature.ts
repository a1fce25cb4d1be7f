import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every webhook request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'Paykey-Signature';

/**
 * Signs a webhook body: HMAC-SHA256 over `"<t>.<raw body>"` with the
 * endpoint's secret. The timestamp is inside the signed text, so a captured
 * request cannot be replayed later with a fresh `t`.
 */
export function signWebhookPayload(rawBody: string, secret: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Whether `header` (the `Paykey-Signature` value) signs exactly `rawBody` with
 * `secret`, at a time within `toleranceSec` of `now`. Self-contained (only
 * `node:crypto`) so merchants can copy it as is; pass the body as received,
 * before any JSON parsing.
 */
export function verifyWebhookSignature(
  rawBody: string,
  header: string | null | undefined,
  secret: string,
  { toleranceSec = 300, now = new Date() }: { toleranceSec?: number; now?: Date } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = parts.find(([key]) => key === 't')?.[1];
  // Several v1 entries are allowed (a future secret rotation signs with both keys).
  const signatures = parts.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')).map(([, value]) => value);
  if (!t || !/^\d+$/.test(t) || signatures.length === 0) return false;
  // A replay of an old request (or a clock far off) is refused.
  if (Math.abs(now.getTime() / 1000 - Number(t)) > toleranceSec) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return signatures.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}
