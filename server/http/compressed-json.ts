import type { Context, MiddlewareHandler } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import { preferredEncoding, type ContentCoding } from './accept-encoding.ts';
import { encodeBody } from './encode-body.ts';

/**
 * JSON answers of at least `minBytes` sent brotli- or gzip-compressed, as the client's `Accept-Encoding` prefers
 * (the widget's files already are: `compressed-asset.ts`). The frame's first data (`/checkout`: the bank's brand,
 * the saved cards) arrives before `paykey-ready`, so it is part of what a shopper downloads before the first screen.
 * Small answers (most of the payment path's) are sent as they are: compressing them saves a few bytes and costs CPU.
 * Compressed on the request path (`encode-body.ts`: tens of microseconds for the kilobytes a JSON answer has).
 * `Vary: Accept-Encoding` goes on every answer this covers, compressed or not.
 *
 * Answers made with `c.json` (routes and the error handler alike) are decided from their text, when it is made:
 * its length says whether to compress, and the answer is built once, with its Content-Length — no stream read back
 * and no second Response. Any other JSON answer is read back and measured.
 */
export function compressedJson(options: { minBytes: number }): MiddlewareHandler {
  if (!Number.isInteger(options.minBytes) || options.minBytes < 0) {
    throw new TypeError(`compressedJson: expected minBytes as a non-negative integer, received ${options.minBytes}`);
  }
  return async function compressJson(c, next) {
    const coding = preferredEncoding(c.req.header('Accept-Encoding'));
    c.json = jsonAnswering(c, coding, options.minBytes) as Context['json'];
    await next();
    const res = c.res;
    if (!(res.headers.get('Content-Type') ?? '').startsWith('application/json')) return;
    res.headers.append('Vary', 'Accept-Encoding');
    if (res.headers.has('Content-Encoding')) return;
    // Before `res.body`: asking for the body turns @hono/node-server's lightweight answer (its text, written as it is)
    // into a full WHATWG Response whose stream the server then reads back — for every small frame answer, until this.
    const declared = res.headers.get('Content-Length');
    if (declared !== null && Number(declared) < options.minBytes) return;
    if (!res.body) return;
    if (coding === 'identity') return;
    const body = Buffer.from(await res.arrayBuffer());
    const encoded = body.length < options.minBytes ? undefined : encodeBody(body, coding);
    const headers = new Headers(res.headers);
    if (encoded) {
      headers.set('Content-Encoding', coding);
      headers.set('Content-Length', String(encoded.length));
    }
    c.res = new Response(encoded ?? body, { status: res.status, statusText: res.statusText, headers });
  };
}

type JsonHeaders = Record<string, string | string[]>;

/** `c.json` for this request: the text once, compressed when it is long enough and the client accepts a coding. */
function jsonAnswering(c: Context, coding: ContentCoding, minBytes: number) {
  // `arg` is c.json's second argument: a status or a ResponseInit, which Hono's newResponse takes as they are.
  return (object: unknown, arg?: unknown, headers?: JsonHeaders): Response => {
    const text = JSON.stringify(object);
    const own = headers ?? {};
    const type = own['content-type'] ?? own['Content-Type'] ?? 'application/json';
    // A string's UTF-8 length is at least its length in UTF-16 units and at most three times it: most answers are
    // known to be small without counting.
    const bytes = coding !== 'identity' && text.length * 3 >= minBytes ? Buffer.from(text) : undefined;
    if (bytes && bytes.length >= minBytes && coding !== 'identity') {
      const encoded = encodeBody(bytes, coding);
      const compressed = { ...own, 'content-type': type, 'content-encoding': coding, 'content-length': String(encoded.length) };
      return c.newResponse(encoded, arg as StatusCode | undefined, compressed);
    }
    const plain = { ...own, 'content-type': type, 'content-length': String(bytes?.length ?? Buffer.byteLength(text)) };
    return c.newResponse(text, arg as StatusCode | undefined, plain);
  };
}
