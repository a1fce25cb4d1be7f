import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { BankTransportError } from '../adapters/bank-adapter.ts';
import type { Logger } from '../http/logger.ts';
import { ApiError } from './api-error.ts';
import { PaykeyError } from './paykey-error.ts';

/**
 * The single `onError`: PaykeyErrors (domain) and ApiErrors (HTTP protocol: malformed bodies, authentication) become their JSON body, Hono's own
 * 4xx HTTPExceptions a 400 `invalid_request`, and anything else is a 500 with a
 * generic message (the details go to the log, never to the client). Every code and status comes from the one table
 * (`widget/error-codes.ts`).
 */
export function createErrorHandler(logger: Logger) {
  return function handleError(err: Error, c: Context): Response {
    // Domain errors become their status here, and only here.
    if (err instanceof PaykeyError || err instanceof ApiError) return c.json(err.toJSON(), err.status);
    if (err instanceof HTTPException && err.status < 500) {
      return c.json(new ApiError(400, 'invalid_request', err.message || 'Invalid request').toJSON(), 400);
    }
    if (err instanceof BankTransportError) {
      logger.warn('bank_unavailable', { method: c.req.method, path: c.req.path, error: describe(err) });
      return c.json(new ApiError(502, 'bank_unavailable', 'The bank did not answer; try again').toJSON(), 502);
    }
    logger.error('unhandled_error', { method: c.req.method, path: c.req.path, error: describe(err) });
    return c.json(new ApiError(500, 'internal_error', 'Something went wrong on our side').toJSON(), 500);
  };
}

export function notFound(c: Context): Response {
  return c.json(new ApiError(404, 'resource_missing', `No route for ${c.req.method} ${c.req.path}`).toJSON(), 404);
}

function describe(err: Error): string {
  return `${err.name}: ${err.message}`;
}
