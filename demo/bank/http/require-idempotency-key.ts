/** The `Idempotency-Key` header every state-changing call of the sandbox bank requires. */
import type { Context } from 'hono';
import { ApiError } from './api-error.ts';

export function requireIdempotencyKey(c: Context): string {
  const key = c.req.header('idempotency-key');
  if (key === undefined || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError(
      422,
      'idempotency_key_required',
      `expected an Idempotency-Key header of 1 to 255 printable characters, received ${key === undefined ? 'none' : `${key.length} characters`}`,
    );
  }
  return key;
}
