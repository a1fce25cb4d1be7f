import { Hono, type Context } from 'hono';
import type { Registry } from 'prom-client';
import { ApiError } from './errors/api-error.ts';
import { createErrorHandler, notFound } from './errors/handle-error.ts';
import type { Logger } from './http/logger.ts';
import { bodyLimit } from './http/body-limit.ts';
import { compressedJson } from './http/compressed-json.ts';
import { requestLog } from './http/request-log.ts';
import { merchantApi, type MerchantApiDeps } from './routes/merchant-api.ts';
import { metricsRoute } from './routes/metrics-route.ts';
import { openApiRoute } from './openapi/openapi-route.ts';
import { openBankingCallback } from './routes/open-banking-callback.ts';
import type { CompleteAccountPaymentDeps } from './payments/complete-account-payment.ts';
import { createBrandCache } from './banks/bank-brands.ts';
import { checkoutAnswerOf } from './routes/checkout-answer.ts';
import { shopperApi, type ShopperApiDeps } from './routes/shopper-api.ts';
import { widgetAssets, type WidgetAssetsDeps } from './routes/widget-assets.ts';

export interface AppParts {
  logger: Logger;
  /** `host[:port]` values this server answers for: its public origin's, and its own loopback address. */
  hosts: string[];
  merchant: MerchantApiDeps;
  shopper: Omit<ShopperApiDeps, 'bankBrand' | 'checkoutAnswer'>;
  assets: Omit<WidgetAssetsDeps, 'logger' | 'checkoutAnswer'>;
  metrics: { registry: Registry; token?: string };
  /** Pay by bank, when a bank is configured: the shopper's return from the bank, and the wallet's JWKS the bank verifies us with. */
  openBanking?: { callback: CompleteAccountPaymentDeps; jwks: Hono };
}

/** Largest request body any route accepts; WebAuthn responses are a few KB. */
const MAX_BODY_BYTES = 64 * 1024;
/** Frame answers from this size on go compressed; below it compression saves a few bytes for CPU on the payment path. */
const COMPRESS_JSON_FROM_BYTES = 1024;

/** Wiring only: middleware, the route groups (each given just what it uses), one error handler. */
export function createApp(parts: AppParts): Hono {
  const app = new Hono();
  app.use(requestLog(parts.logger));
  const hosts = new Set(parts.hosts.map((host) => host.toLowerCase()));
  app.use(async function answerOnlyOurHosts(c, next) {
    // A page on another name resolving to us (DNS rebinding) gets nothing from this origin.
    if (!hosts.has((c.req.header('host') ?? '').toLowerCase())) {
      throw new ApiError(421, 'misdirected_request', `This server answers for ${[...hosts].join(', ')} only`);
    }
    await next();
  });
  app.use(async function securityHeaders(c, next) {
    await next();
    setAnswerHeader(c, 'X-Content-Type-Options', 'nosniff');
    // API answers carry secrets, sessions or card data: no cache keeps them (assets set their own policy). The one
    // exception is the brands' answer, public and the same for everyone, which sets its own (routes/brands-route.ts).
    const publicAnswer = c.req.path === '/api/frame/brands' && (c.res.status === 200 || c.res.status === 304);
    if ((c.req.path.startsWith('/v1/') || c.req.path.startsWith('/api/') || c.req.path === '/metrics') && !publicAnswer) setAnswerHeader(c, 'Cache-Control', 'no-store');
  });
  app.use(async function refuseNulInPath(c, next) {
    // An id is never a NUL; PostgreSQL cannot even be asked for one.
    if (/%00|\0/.test(c.req.raw.url.split('?')[0])) throw new ApiError(404, 'resource_missing', 'No such resource: paths never contain NUL (%00)');
    await next();
  });
  app.use(bodyLimit(MAX_BODY_BYTES));
  // The frame's data is part of its first screen's download (the checkout, before `paykey-ready`).
  app.use('/api/frame/*', compressedJson({ minBytes: COMPRESS_JSON_FROM_BYTES }));
  app.route('/', metricsRoute(parts.metrics.registry, parts.metrics.token));
  app.route('/v1', merchantApi(parts.merchant));
  // One brand cache for the frame's API and its page, which holds the checkout (sealed) that the API also answers.
  const { shopper } = parts;
  const bankBrand = createBrandCache({ operator: shopper.operatorBrand, logger: shopper.logger, preload: shopper.banks.all() });
  const checkoutAnswer = checkoutAnswerOf({ accountPayments: shopper.accountPayments, bankBrand });
  app.route('/api/frame', shopperApi({ ...shopper, bankBrand, checkoutAnswer }));
  app.route('/', openApiRoute());
  if (parts.openBanking) {
    app.route('/', parts.openBanking.jwks);
    app.route('/', openBankingCallback(parts.openBanking.callback));
  }
  app.route('/', widgetAssets({ ...parts.assets, logger: parts.logger, checkoutAnswer }));
  app.notFound(notFound);
  app.onError(createErrorHandler(parts.logger));
  return app;
}

/**
 * A header on an answer already made, set on that answer's own headers. Hono's `c.header` after the handler re-creates
 * the response instead, which turns @hono/node-server's lightweight response into a full WHATWG one (a body stream the
 * server then reads back) on every request (test/bench/server-create-ab.ts: the wallet's CPU per 404 went from 313 to
 * 190 µs, per intent created from 600 to 533 µs). The same headers result; an answer whose headers cannot change (a
 * fetched response) still goes through `c.header`.
 */
function setAnswerHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
