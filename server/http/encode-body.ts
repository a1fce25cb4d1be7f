import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { ContentCoding } from './accept-encoding.ts';

/**
 * A body made per request, compressed in the coding the client chose: brotli at quality 5, gzip at level 6. For the
 * kilobytes of a JSON answer or of the frame page these take tens of microseconds, so they run on the request path
 * (brotli's qualities 10 and 11 take about 2 ms for any input, which is why files are compressed once: `compressed-asset.ts`).
 */
export function encodeBody(body: Uint8Array, coding: Exclude<ContentCoding, 'identity'>): Uint8Array<ArrayBuffer> {
  const encoded = coding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipSync(body, { level: 6 });
  return encoded as Uint8Array<ArrayBuffer>;
}
