/**
 * Wires a demo card bank's HTTP API (documented in README.md, "The sandbox bank"), for its profile (the sandbox
 * bank's by default; Lotus Bank's in `demo/lotus/`):
 * `/v1` under the API key, with the fault injector in front of its routes, and
 * `/admin/faults` and the offer controls `/sandbox/offers/*` under the admin key (absent, all 404, without one).
 * Request bodies are never logged: they carry card numbers.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { faultInjector } from './faults/fault-injector.ts';
import { createFaultStore, type FaultStore } from './faults/fault-store.ts';
import { ApiError, apiErrorBody } from './http/api-error.ts';
import { bearerApiKey } from './http/bearer-api-key.ts';
import { fixedLatency } from './http/fixed-latency.ts';
import type { Ledger } from './ledger/open-ledger.ts';
import type { BankProfile } from './bank-profile.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { brandRoutes } from './routes/brand-routes.ts';
import { chargeRoutes } from './routes/charge-routes.ts';
import { feeScheduleRoutes } from './routes/fee-schedule-routes.ts';
import { fxQuoteRoutes } from './routes/fx-quote-routes.ts';
import { limitsRoutes } from './routes/limits-routes.ts';
import { refundRoutes } from './routes/refund-routes.ts';
import { tokenRoutes } from './routes/token-routes.ts';
import { offerRoutes } from './routes/offer-routes.ts';
import { sandboxOfferRoutes } from './routes/sandbox-offer-routes.ts';
import { createOfferDesk, type OfferDesk } from './offers/offer-desk.ts';
import { offerQuoteIds } from './offers/offer-quote-id.ts';
import { createHash } from 'node:crypto';
import { sandboxBankProfile } from './sandbox-bank-profile.ts';
import type { SandboxBankLimits } from './sandbox-bank-limits.ts';

export interface BankAppOptions {
  ledger: Ledger;
  apiKey: string;
  /** Guards `/admin/*`; without one those routes do not exist (404). Must differ from apiKey. */
  adminKey?: string;
  /** The fault rules (in memory); a fresh empty store by default. */
  faults?: FaultStore;
  /** The bank's clock (expiry checks, timestamps); tests may pin it. */
  now?: () => Date;
  /** Which bank this is; the sandbox bank by default. */
  profile?: BankProfile;
  /** What the bank carries; the profile's limits by default. */
  limits?: SandboxBankLimits;
  /** How long after a charge its offer's cashback is credited; default 60 s (`SANDBOX_CASHBACK_DELAY_MS`). */
  cashbackDelayMs?: number;
  /** The offers, controls and request log (in memory); a fresh one from the profile's catalogue by default. */
  offerDesk?: OfferDesk;
  /** Every `/v1` call waits this long before it is handled (`SANDBOX_LATENCY_MS`; the benchmark's bank); default 0. */
  latencyMs?: number;
}

export const DEFAULT_CASHBACK_DELAY_MS = 60_000;

export function createBankApp({
  ledger,
  apiKey,
  adminKey,
  faults = createFaultStore(),
  now = () => new Date(),
  profile = sandboxBankProfile,
  limits = profile.limits,
  cashbackDelayMs = DEFAULT_CASHBACK_DELAY_MS,
  offerDesk = createOfferDesk(profile.offers),
  latencyMs = 0,
}: BankAppOptions): Hono {
  if (adminKey !== undefined && adminKey === apiKey) {
    throw new TypeError('createBankApp: expected an adminKey different from the apiKey, received the same key');
  }
  const app = new Hono();
  const limitBody = bodyLimit({
    maxSize: 16 * 1024,
    onError: (c) => c.json(apiErrorBody('payload_too_large', 'expected a request body of at most 16 KiB'), 413),
  });
  if (latencyMs > 0) app.use('/v1/*', fixedLatency(latencyMs));
  app.use('/v1/*', limitBody);
  app.use('/v1/*', bearerApiKey(apiKey));
  app.use('/v1/*', faultInjector({ store: faults, redeliver: (request, env) => app.fetch(request, env), bankName: profile.name }));
  if (adminKey !== undefined) {
    app.use('/admin/*', limitBody);
    app.use('/admin/*', bearerApiKey(adminKey));
    app.route('/', adminRoutes(faults));
    // A replacement offer catalogue carries terms in two languages per offer: more room than a payment call.
    app.use('/sandbox/*', bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.json(apiErrorBody('payload_too_large', 'expected a request body of at most 256 KiB'), 413) }));
    app.use('/sandbox/*', bearerApiKey(adminKey));
    app.route('/', sandboxOfferRoutes(ledger, now, offerDesk, cashbackDelayMs));
  }
  app.route('/', brandRoutes(profile));
  app.route('/', tokenRoutes(ledger, now, profile));
  app.route('/', fxQuoteRoutes(ledger, now, profile));
  app.route('/', feeScheduleRoutes(profile));
  app.route('/', limitsRoutes(limits));
  app.route('/', chargeRoutes(ledger, now, limits, { creditDelayMs: cashbackDelayMs, fees: profile.fees }));
  // Quote ids are derived, not stored: keyed from the API key, they stay the same across a restart.
  const quoteIds = offerQuoteIds(createHash('sha256').update(`offer quotes\0${apiKey}`).digest('hex'));
  app.route('/', offerRoutes({ ledger, now, desk: offerDesk, quoteIds, creditDelayMs: cashbackDelayMs }));
  app.route('/', refundRoutes(ledger, now));

  app.notFound((c) => c.json(apiErrorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(apiErrorBody(error.code, error.message), error.status);
    if (error instanceof HTTPException) {
      return c.json(apiErrorBody('bad_request', error.message || 'the request could not be read'), error.status as 400);
    }
    // Only the error itself, never the request: its body may hold a card number.
    console.error(`${profile.name}: unexpected error on ${c.req.method} ${c.req.path}:`, error);
    return c.json(apiErrorBody('internal_error', `${profile.name} failed; the outcome is unknown`), 500);
  });
  return app;
}
