import { hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Random id with a readable prefix, e.g. `pi_3fQc…`: `length` base62 characters (20: 119 bits). Base62, not hex:
 * in hex one id in a few hundred holds a run of 12+ digits that passes Luhn, which the log redactor rightly takes
 * for a card number — and the id would vanish from the log line that names it.
 */
export function randomId(prefix: string, length = 20): string {
  let id = '';
  while (id.length < length) {
    for (const byte of pooledRandomBytes(length)) {
      // 248 = 4 × 62: bytes above it would favour the first characters.
      if (byte < 248 && id.length < length) id += BASE62[byte % 62];
    }
  }
  return `${prefix}_${id}`;
}

/** Bytes the CSPRNG is asked for at once (see `pooledRandomBytes`). */
const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomPoolOffset = RANDOM_POOL_BYTES;

/**
 * `length` fresh bytes from the CSPRNG, fetched a block at a time: each call to it costs about 20 µs on this machine
 * whatever the size (a small `randomBytes` is almost all that), so ids and secrets take their bytes from a 4 KB block,
 * as `crypto.randomUUID` does. Every byte is handed out once and zeroed in the block when it is.
 */
export function pooledRandomBytes(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`pooledRandomBytes: expected a whole number of bytes, received ${length}`);
  if (length > RANDOM_POOL_BYTES / 4) return randomBytes(length);
  if (randomPoolOffset + length > RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  const bytes = Buffer.from(randomPool.subarray(randomPoolOffset, randomPoolOffset + length));
  randomPool.fill(0, randomPoolOffset, randomPoolOffset + length);
  randomPoolOffset += length;
  return bytes;
}

/** An unguessable bearer secret (session token, client secret part, idempotency key). */
export function randomSecret(bytes = 24): string {
  return pooledRandomBytes(bytes).toString('hex');
}

/** One-shot `crypto.hash`: no Hash object per call (a fifth of `createHash`'s time for a short value). */
export function sha256Hex(value: string | Uint8Array): string {
  return hash('sha256', value, 'hex');
}

/** Compares two hex digests without leaking where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
