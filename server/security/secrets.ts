import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Random id with a readable prefix, e.g. `pi_3fQc…`: `length` base62 characters (20: 119 bits). Base62, not hex:
 * in hex one id in a few hundred holds a run of 12+ digits that passes Luhn, which the log redactor rightly takes
 * for a card number — and the id would vanish from the log line that names it.
 */
export function randomId(prefix: string, length = 20): string {
  let id = '';
  while (id.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: bytes above it would favour the first characters.
      if (byte < 248 && id.length < length) id += BASE62[byte % 62];
    }
  }
  return `${prefix}_${id}`;
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
