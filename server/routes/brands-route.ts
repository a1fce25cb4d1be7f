import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { BankDirectory } from '../adapters/registry.ts';
import type { BrandLookup } from '../banks/bank-brands.ts';
import type { BrandsView } from '../../widget/shopper-api.ts';
import { cardBankBrands } from './shopper-views.ts';

/**
 * `GET /api/frame/brands`: the operator's brand and every card bank's (logo, colours, name), which the confirm screen,
 * receipts and Manage cards show. Kept out of `/checkout`: a new shopper's first screen (sign-in) shows no bank, and
 * the operator's brand is applied only after `paykey-ready`. The frame asks for it after ready, or beside the checkout
 * when the device cache has cards (confirm, which shows the card's bank, comes first).
 * It carries no shopper or payment data, so browsers may keep it for 5 minutes and then revalidate it: a strong
 * ETag over the bytes sent (the coding in it, as `compressed-asset.ts` does), a matching `If-None-Match` is a 304.
 */
export function brandsRoute(deps: { banks: BankDirectory; bankBrand: BrandLookup }) {
  const route = new Hono();
  route.get('/brands', async (c) => {
    const body: BrandsView = { operator: deps.bankBrand.operator, banks: await cardBankBrands(deps.banks.all(), deps.bankBrand) };
    // `c.json` is the compressing one of `compressedJson` under /api/frame: its answer says the coding it chose.
    const answer = c.json(body);
    const coding = answer.headers.get('content-encoding');
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32);
    const etag = coding ? `"${hash}-${coding}"` : `"${hash}"`;
    const headers = { 'Cache-Control': 'public, max-age=300', ETag: etag };
    if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304, { ...headers, Vary: 'Accept-Encoding' });
    for (const [name, value] of Object.entries(headers)) answer.headers.set(name, value);
    return answer;
  });
  return route;
}

/** RFC 9110 §13.1.2: `*` or any listed tag equal to ours under weak comparison (a `W/` prefix ignored). */
function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}
