import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { BankDirectory } from '../adapters/registry.ts';
import type { BrandLookup } from '../banks/bank-brands.ts';
import { preferredEncoding } from '../http/accept-encoding.ts';
import { matchesIfNoneMatch } from '../http/compressed-asset.ts';
import type { BrandsView } from '../../widget/shopper-api.ts';
import { cardBankBrands } from './shopper-views.ts';

/** One text of the brands, in each coding: made when the brands change, not per request. */
interface EncodedBrands {
  text: string;
  hash: string;
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

/**
 * `GET /api/frame/brands`: the operator's brand and every card bank's (logo, colours, name), which the confirm screen,
 * receipts and Manage cards show. Kept out of `/checkout`: a new shopper's first screen (sign-in) shows no bank, and
 * the operator's brand is applied only after `paykey-ready`. The frame asks for it after ready, or beside the checkout
 * when the device cache has cards (confirm, which shows the card's bank, comes first).
 *
 * It carries no shopper or payment data, so browsers may keep it for 5 minutes and then revalidate it: a strong ETag
 * over the bytes sent (the coding in it, as `compressed-asset.ts` does), a matching `If-None-Match` is a 304. It is
 * the same for every shopper and changes only when a bank's brand does, so its codings are made once per change, at
 * the highest levels (brotli 11, gzip 9: a few milliseconds, once), rather than per request as other JSON answers are.
 */
export function brandsRoute(deps: { banks: BankDirectory; bankBrand: BrandLookup }) {
  const route = new Hono();
  let encoded: EncodedBrands | undefined;
  route.get('/brands', async (c) => {
    const body: BrandsView = { operator: deps.bankBrand.operator, banks: await cardBankBrands(deps.banks.all(), deps.bankBrand) };
    const text = JSON.stringify(body);
    if (encoded?.text !== text) encoded = encode(text);
    const coding = preferredEncoding(c.req.header('accept-encoding'));
    const etag = coding === 'identity' ? `"${encoded.hash}"` : `"${encoded.hash}-${coding}"`;
    const headers: Record<string, string> = { 'Cache-Control': 'public, max-age=300', ETag: etag };
    // A 304 is no JSON answer, which the compressor would mark: its Vary is said here.
    if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ...headers, Vary: 'Accept-Encoding' });
    const bytes = encoded[coding];
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    // The /api/frame JSON compressor (`compressed-json.ts`) adds `Vary` and leaves an encoded answer as it is.
    return c.body(new Uint8Array(bytes), 200, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) });
  });
  return route;
}

function encode(text: string): EncodedBrands {
  const identity = Buffer.from(text);
  return {
    text,
    hash: createHash('sha256').update(identity).digest('base64url').slice(0, 32),
    identity,
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    gzip: gzipSync(identity, { level: 9 }),
  };
}
