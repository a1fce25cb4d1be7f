import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors/api-error.ts';

/** Beyond this a refused body is not worth reading: the connection is closed instead. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 5_000;

/**
 * Refuses request bodies over `maxBytes` with `413 request_too_large` — and
 * reads the rest of a refused body first, so a client still sending gets the
 * answer and keeps its connection instead of seeing it reset. (Hono's
 * `bodyLimit` answers at once, which Node turns into a reset for a client
 * mid-upload.)
 * A body with a `Content-Length` within the limit is left alone for the route
 * to read (Node's HTTP parser delivers exactly that many bytes, never more),
 * so the common case costs nothing: no copy, no second `Request`. A body of
 * unknown length (chunked) is counted as it streams in, refused at the first
 * byte over, and handed to the route once whole.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const refuse = () => new ApiError(413, 'request_too_large', `Request bodies are limited to ${maxBytes} bytes`);
  return async function limitBody(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (declared !== undefined && !chunked && /^\d+$/.test(declared) && Number(declared) <= maxBytes) return next();
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    if (declared !== undefined && !chunked && Number(declared) > maxBytes) {
      await discard(reader);
      throw refuse();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await discard(reader);
        throw refuse();
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks, size) });
    return next();
  };
}

async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const deadline = setTimeout(() => void reader.cancel().catch(() => {}), DRAIN_TIMEOUT_MS);
  try {
    let seen = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.length;
      if (seen > MAX_DRAIN_BYTES) return void (await reader.cancel());
    }
  } catch {
    // Cancelled or reset: nothing more to read.
  } finally {
    clearTimeout(deadline);
  }
}
