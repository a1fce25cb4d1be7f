/**
 * Wires Meridian Bank's HTTP surface (README: "Meridian Bank (Open Banking sandbox)"):
 *
 * - `/open-banking/v4.0/pisp/*`: the four domestic payment operations, every request and answer checked
 *   against the official document; behind them the fault injector (outermost, so faults break answers
 *   that were validated first);
 * - `/token`, `/authorize`, `/jwks`, `/.well-known/openid-configuration`;
 * - `/admin/*` (test controls) when there is an admin key.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { obFaultInjector } from './controls/fault-injector.ts';
import { createObFaultStore, type ObFaultStore } from './controls/fault-store.ts';
import { createScenarioStore, type ScenarioStore } from './controls/scenario-store.ts';
import { checkPispRequest } from './http/check-pisp-request.ts';
import type { ObEnv } from './http/ob-env.ts';
import { ObError } from './http/ob-error.ts';
import { createObResponder } from './http/ob-responder.ts';
import { validatePispResponses, type ValidationLog } from './http/validate-pisp-responses.ts';
import type { BankSigningKey } from './jose/bank-signing-key.ts';
import { createClientKeyResolver, type ClientKeyResolver } from './jose/client-key-resolver.ts';
import type { MeridianLedger } from './ledger/open-meridian-ledger.ts';
import { authorizeRoutes } from './oauth/authorize-routes.ts';
import type { ClientRegistry } from './oauth/client-registry.ts';
import { discoveryRoutes } from './oauth/discovery-routes.ts';
import { tokenRoutes } from './oauth/token-routes.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { consentRoutes } from './routes/consent-routes.ts';
import { paymentRoutes } from './routes/payment-routes.ts';
import { PISP_API_ROOT, type SpecValidator } from './spec/create-spec-validator.ts';

export interface MeridianAppOptions {
  ledger: MeridianLedger;
  spec: SpecValidator;
  signingKey: BankSigningKey;
  clients: ClientRegistry;
  /** Guards `/admin/*`; without one those routes do not exist (404). */
  adminKey?: string;
  resolveKey?: ClientKeyResolver;
  scenarios?: ScenarioStore;
  faults?: ObFaultStore;
  now?: () => Date;
}

export function createMeridianApp(options: MeridianAppOptions): { app: Hono<ObEnv>; validationLog: ValidationLog } {
  const { ledger, spec, signingKey, clients, adminKey } = options;
  const resolveKey = options.resolveKey ?? createClientKeyResolver();
  const scenarios = options.scenarios ?? createScenarioStore();
  const faults = options.faults ?? createObFaultStore();
  const now = options.now ?? (() => new Date());
  const responder = createObResponder(signingKey);
  const validationLog: ValidationLog = { checked: 0, failures: [] };

  const app = new Hono<ObEnv>();
  app.use(
    '*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json({ error: { code: 'payload_too_large', message: 'expected a request body of at most 64 KiB' } }, 413),
    }),
  );
  app.use(
    '*',
    obFaultInjector({
      store: faults,
      apiRoot: PISP_API_ROOT,
      // Says nothing about what was done: after error_after, it was.
      unavailable: (c) =>
        c.req.path === '/token'
          ? c.json({ error: 'temporarily_unavailable', error_description: 'Meridian Bank is temporarily unavailable' }, 503)
          : responder.unexpected(c, 'Meridian Bank is temporarily unavailable; the outcome is unknown'),
    }),
  );
  app.use(`${PISP_API_ROOT}/*`, validatePispResponses(spec, validationLog, responder));
  app.use(`${PISP_API_ROOT}/*`, checkPispRequest({ spec, ledger, clients, resolveKey, now }));
  app.route('/', consentRoutes(ledger, responder, now));
  app.route('/', paymentRoutes(ledger, responder, scenarios, now));
  app.route('/', tokenRoutes(ledger, clients, resolveKey, now));
  app.route('/', authorizeRoutes(ledger, clients, resolveKey, scenarios, now));
  app.route('/', discoveryRoutes(signingKey));
  if (adminKey !== undefined) app.route('/', adminRoutes({ adminKey, ledger, scenarios, faults, validationLog, now }));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => {
    if (c.req.path.startsWith(`${PISP_API_ROOT}/`)) {
      if (error instanceof ObError) return responder.error(c, error);
      console.error(`Meridian Bank: unexpected error on ${c.req.method} ${c.req.path}:`, error);
      return responder.unexpected(c, 'Meridian Bank failed; the outcome is unknown');
    }
    console.error(`Meridian Bank: unexpected error on ${c.req.method} ${c.req.path}:`, error);
    return c.json({ error: { code: 'internal_error', message: 'Meridian Bank failed; the outcome is unknown' } }, 500);
  });
  return { app, validationLog };
}
