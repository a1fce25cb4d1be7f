import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random id with a readable prefix, e.g. `pi_3f9c…`. Hex keeps it inside `[A-Za-z0-9]`. */
export function randomId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('hex')}`;
}

/** An unguessable bearer secret (session token, client secret part, idempotency key). */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('hex');
}

export function sha256Hex(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares two hex digests without leaking where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
