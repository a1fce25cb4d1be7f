import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import type { WalletDb } from '../store/database.ts';
import { ApiError } from '../errors/api-error.ts';
import { findPaymentIntent } from '../payments/payment-intents.ts';
import { allowedOrigins, findMerchant } from '../store/merchants.ts';

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

/** The frame's CSP: its own scripts and styles only, embeddable only by `ancestors`. */
export function frameContentSecurityPolicy(ancestors: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
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
}

/**
 * Serves the built widget: the loader merchants embed (`/paykey.js`, and the same file at its versioned, immutable
 * path `/paykey/v1.<hash>/paykey.js` for pinning with Subresource Integrity), the
 * frame's hashed chunks (`/assets/*`) and the frame page itself, whose
 * `frame-ancestors` is the intent's merchant's allowed origins.
 */
export function widgetAssets(deps: WidgetAssetsDeps) {
  const routes = new Hono();
  const distDir = path.resolve(deps.distDir);

  routes.get('/paykey.js', async (c) => {
    const body = await readBuilt(distDir, 'paykey.js');
    // A module script loaded cross-origin needs CORS; it contains no secrets.
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(body, 200, { 'Content-Type': CONTENT_TYPES['.js'] });
  });

  // Named after its content (`loader.json` of the build says which), so it never changes: cached for a year, and
  // CORS-readable, as `<script integrity crossorigin="anonymous">` needs to check it.
  routes.get('/paykey/:version{v1\\.[0-9a-f]{12}}/paykey.js', async (c) => {
    const body = await readBuilt(distDir, path.join('paykey', c.req.param('version'), 'paykey.js'));
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(body, 200, { 'Content-Type': CONTENT_TYPES['.js'] });
  });

  routes.get('/assets/:file{.+}', async (c) => {
    const name = c.req.param('file');
    const file = path.resolve(distDir, 'assets', name);
    if (!file.startsWith(path.join(distDir, 'assets') + path.sep)) {
      throw new ApiError(404, 'resource_missing', 'No such asset');
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const body = await readBuilt(distDir, path.relative(distDir, file));
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(body, 200, { 'Content-Type': type });
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
    const html = await readBuilt(distDir, 'frame.html');
    c.header('Content-Security-Policy', frameContentSecurityPolicy(origins));
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.body(html, 200, { 'Content-Type': CONTENT_TYPES['.html'] });
  });

  return routes;
}

async function readBuilt(distDir: string, relativePath: string): Promise<Uint8Array<ArrayBuffer>> {
  if (!existsSync(distDir)) {
    throw new ApiError(503, 'widget_not_built', `The widget build was not found in ${distDir}: run \`npm run build\` first`);
  }
  try {
    return new Uint8Array(await readFile(path.join(distDir, relativePath)));
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
