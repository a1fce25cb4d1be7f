/**
 * Middleware: requires `Authorization: Bearer <apiKey>`, compared in constant time
 * (both sides are hashed first so their lengths never leak either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';

export function bearerApiKey(apiKey: string): MiddlewareHandler {
  if (apiKey.length === 0) throw new TypeError('bearerApiKey: expected a non-empty API key, received an empty string');
  const expected = sha256(apiKey);
  return async function requireBearerApiKey(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match || !timingSafeEqual(sha256(match[1]), expected)) {
      throw new ApiError(401, 'unauthorized', match ? 'the API key is not valid' : 'expected an `Authorization: Bearer <api key>` header');
    }
    await next();
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
