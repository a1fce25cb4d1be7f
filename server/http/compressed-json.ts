import type { MiddlewareHandler } from 'hono';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { preferredEncoding } from './accept-encoding.ts';

/**
 * JSON answers of at least `minBytes` sent brotli- or gzip-compressed, as the client's `Accept-Encoding` prefers
 * (the widget's files already are: `compressed-asset.ts`). The frame's first data (`/checkout`: the bank's brand,
 * the saved cards) arrives before `paykey-ready`, so it is part of what a shopper downloads before the first screen.
 * Small answers (most of the payment path's) are sent as they are: compressing them saves a few bytes and costs CPU.
 * Brotli at quality 5 and gzip at level 6 take a few microseconds for the kilobytes a JSON answer has, so this runs
 * on the request path without a worker. `Vary: Accept-Encoding` goes on every answer this covers, compressed or not.
 */
export function compressedJson(options: { minBytes: number }): MiddlewareHandler {
  if (!Number.isInteger(options.minBytes) || options.minBytes < 0) {
    throw new TypeError(`compressedJson: expected minBytes as a non-negative integer, received ${options.minBytes}`);
  }
  return async function compressJson(c, next) {
    await next();
    const res = c.res;
    if (!(res.headers.get('Content-Type') ?? '').startsWith('application/json')) return;
    res.headers.append('Vary', 'Accept-Encoding');
    if (res.headers.has('Content-Encoding') || !res.body) return;
    const declared = res.headers.get('Content-Length');
    if (declared !== null && Number(declared) < options.minBytes) return;
    const coding = preferredEncoding(c.req.header('Accept-Encoding'));
    if (coding === 'identity') return;
    const body = Buffer.from(await res.arrayBuffer());
    const encoded =
      body.length < options.minBytes
        ? undefined
        : coding === 'br'
          ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
          : gzipSync(body, { level: 6 });
    const headers = new Headers(res.headers);
    if (encoded) {
      headers.set('Content-Encoding', coding);
      headers.set('Content-Length', String(encoded.length));
    }
    c.res = new Response(encoded ?? body, { status: res.status, statusText: res.statusText, headers });
  };
}
