import { existsSync } from 'node:fs';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { preferredEncoding } from '../http/accept-encoding.ts';
import { compressedAssets, sendAsset, type CompressedAsset } from '../http/compressed-asset.ts';
import { encodeBody } from '../http/encode-body.ts';
import { inlineScriptHashes } from '../http/inline-script-hashes.ts';
import type { Logger } from '../http/logger.ts';
import type { WalletDb } from '../store/database.ts';
import { ApiError } from '../errors/api-error.ts';
import { findPaymentIntent, type PaymentIntent } from '../payments/payment-intents.ts';
import { sealToClientSecret } from '../security/seal-to-client-secret.ts';
import { allowedOrigins, findMerchant, type Merchant } from '../store/merchants.ts';
import { toSealedCheckoutForm } from '../../widget/frame/boot/sealed-checkout-form.ts';
import type { CheckoutAnswerOf } from './checkout-answer.ts';

/** Content-named files (`/assets/*`, the versioned loader): their URL changes when their bytes do. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * The frame's CSP: its own scripts and styles only, embeddable only by `ancestors`. `inlineScripts`: the hash sources
 * of the page's own inline scripts (its boot, `inlineScriptHashes`); no other inline script runs.
 */
export function frameContentSecurityPolicy(ancestors: string[], inlineScripts: string[]): string {
  return [
    "default-src 'none'",
    ["script-src 'self'", ...inlineScripts].join(' '),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.length > 0 ? ancestors.join(' ') : "'none'"}`,
  ].join('; ');
}

export interface WidgetAssetsDeps {
  db: WalletDb;
  /** The built widget (`dist/widget`). */
  distDir: string;
  logger: Logger;
  /** The checkout each frame page holds, sealed to its intent's client secret (`POST /api/frame/checkout`'s answer). */
  checkoutAnswer: CheckoutAnswerOf;
}

/** The frame page's slot for its sealed checkout (`widget/frame/frame.html`), as built. */
const CHECKOUT_SLOT = 'data-checkout=""';

/**
 * Serves the built widget: the loader merchants embed (`/paykey.js`, and the same file at its versioned, immutable
 * path `/paykey/v1.<hash>/paykey.js` for pinning with Subresource Integrity), the
 * frame's hashed chunks (`/assets/*`) and the frame page itself, whose
 * `frame-ancestors` is the intent's merchant's allowed origins, and which holds the intent's checkout sealed to its
 * client secret: the frame's boot opens it as the loader's `init` brings the secret, so the first screen asks the
 * server for nothing (`boot-checkout.ts`).
 * Every text file goes out brotli- or gzip-compressed as the request accepts (`server/http/compressed-asset.ts`:
 * compressed once, on first request, kept in memory per file version; the frame page per request, `encode-body.ts`).
 */
export function widgetAssets(deps: WidgetAssetsDeps) {
  const routes = new Hono();
  const distDir = path.resolve(deps.distDir);
  const assets = compressedAssets();
  const readBuilt = (relativePath: string) => readBuiltFile(assets, distDir, relativePath);

  // Mutable (a new build replaces it): a short cache, then a revalidation that costs a 304 while it is unchanged.
  routes.get('/paykey.js', async (c) => {
    const asset = await readBuilt('paykey.js');
    // A module script loaded cross-origin needs CORS; it contains no secrets.
    c.header('Access-Control-Allow-Origin', '*');
    return sendAsset(c, asset, { contentType: CONTENT_TYPES['.js']!, cacheControl: 'public, max-age=300', etag: true });
  });

  // Named after its content (`loader.json` of the build says which), so it never changes: cached for a year, and
  // CORS-readable, as `<script integrity crossorigin="anonymous">` needs to check it. The integrity is over the
  // identity bytes: browsers check it after decoding the Content-Encoding.
  routes.get('/paykey/:version{v1\\.[0-9a-f]{12}}/paykey.js', async (c) => {
    const asset = await readBuilt(path.join('paykey', c.req.param('version'), 'paykey.js'));
    c.header('Access-Control-Allow-Origin', '*');
    return sendAsset(c, asset, { contentType: CONTENT_TYPES['.js']!, cacheControl: IMMUTABLE });
  });

  routes.get('/assets/:file{.+}', async (c) => {
    const name = c.req.param('file');
    const file = path.resolve(distDir, 'assets', name);
    if (!file.startsWith(path.join(distDir, 'assets') + path.sep)) {
      throw new ApiError(404, 'resource_missing', 'No such asset');
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const asset = await readBuilt(path.relative(distDir, file));
    c.header('Access-Control-Allow-Origin', '*');
    return sendAsset(c, asset, { contentType: type, cacheControl: IMMUTABLE });
  });

  routes.get('/frame/:intentId', async (c) => {
    const intent = await findPaymentIntent(deps.db, c.req.param('intentId'));
    const merchant = intent ? await findMerchant(deps.db, intent.merchant_id) : undefined;
    if (!intent || !merchant) return refusal(c, 404, 'This checkout does not exist.');
    const origins = allowedOrigins(merchant);
    const origin = c.req.query('origin');
    if (!origin || !origins.includes(origin)) {
      return refusal(c, 403, 'This checkout cannot be shown on this website.');
    }
    const html = await readBuilt('frame.html');
    const page = pageText(html).replace(CHECKOUT_SLOT, `data-checkout="${await sealedCheckout(intent, merchant)}"`);
    c.header('Content-Security-Policy', frameContentSecurityPolicy(origins, pageScriptHashes(html)));
    c.header('Referrer-Policy', 'no-referrer');
    // Never stored: its CSP is this intent's merchant's, and it holds this intent's checkout (sealed, but fresh).
    return sendPage(c, page);
  });

  /**
   * The intent's checkout, in the short form the frame makes whole again (`toSealedCheckoutForm`), sealed to its client
   * secret (`sealToClientSecret`: base64, quote-free), or empty when it
   * cannot be made: the page then says nothing of it, and the frame asks `POST /api/frame/checkout`, which reports the
   * failure as an API answer.
   */
  async function sealedCheckout(intent: PaymentIntent, merchant: Merchant): Promise<string> {
    try {
      const form = toSealedCheckoutForm(await deps.checkoutAnswer(intent, merchant));
      return sealToClientSecret(intent.client_secret_hash, JSON.stringify(form));
    } catch (error) {
      deps.logger.warn('frame_checkout_not_sealed', { intent: intent.id, error: error instanceof Error ? error.message : String(error) });
      return '';
    }
  }

  return routes;
}

/**
 * The frame page, made per request: `no-store`, compressed as the request accepts. It is about two kilobytes, so
 * compressing it costs tens of microseconds (`encodeBody`).
 */
function sendPage(c: Context, text: string): Response {
  const identity = new TextEncoder().encode(text);
  const coding = preferredEncoding(c.req.header('accept-encoding'));
  c.header('Vary', 'Accept-Encoding', { append: true });
  c.header('Cache-Control', 'no-store');
  c.header('Content-Type', CONTENT_TYPES['.html']!);
  if (coding === 'identity') return c.body(identity, 200);
  c.header('Content-Encoding', coding);
  return c.body(encodeBody(identity, coding), 200);
}

/** The built frame page's text, with its checkout slot checked once per version of the page. */
const pageTexts = new WeakMap<CompressedAsset, string>();
function pageText(page: CompressedAsset): string {
  let text = pageTexts.get(page);
  if (text === undefined) {
    text = new TextDecoder().decode(page.identity);
    if (text.split(CHECKOUT_SLOT).length !== 2) throw new Error(`frame.html: expected one ${CHECKOUT_SLOT} to fill, found ${text.split(CHECKOUT_SLOT).length - 1}`);
    pageTexts.set(page, text);
  }
  return text;
}

/** The frame page's inline script hashes, worked out once per version of the page (`compressedAssets` keeps one object each). */
const scriptHashes = new WeakMap<CompressedAsset, string[]>();
function pageScriptHashes(page: CompressedAsset): string[] {
  let hashes = scriptHashes.get(page);
  if (!hashes) scriptHashes.set(page, (hashes = inlineScriptHashes(new TextDecoder().decode(page.identity))));
  return hashes;
}

async function readBuiltFile(assets: ReturnType<typeof compressedAssets>, distDir: string, relativePath: string): Promise<CompressedAsset> {
  if (!existsSync(distDir)) {
    throw new ApiError(503, 'widget_not_built', `The widget build was not found in ${distDir}: run \`npm run build\` first`);
  }
  const file = path.join(distDir, relativePath);
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  try {
    return await assets.read(file, type);
  } catch {
    throw new ApiError(404, 'resource_missing', `No such file: ${relativePath}`);
  }
}

function refusal(c: Context, status: 403 | 404, message: string): Response {
  c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  c.header('Cache-Control', 'no-store');
  const html = `<!doctype html><meta charset="utf-8"><title>Paykey</title><p>${message}</p>`;
  return c.html(html, status);
}
