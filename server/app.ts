import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { BankAdapter } from './adapters/bank-adapter.ts';
import { ApiError } from './errors/api-error.ts';
import { createErrorHandler, notFound } from './errors/handle-error.ts';
import type { Logger } from './http/logger.ts';
import { requestLog } from './http/request-log.ts';
import { merchantApi } from './routes/merchant-api.ts';
import { shopperApi } from './routes/shopper-api.ts';
import { widgetAssets } from './routes/widget-assets.ts';
import type { WalletDb } from './store/database.ts';

/** Finds the adapter a card was issued by; `default()` is the bank new cards go to. */
export interface BankDirectory {
  /** Throws for an id no configured adapter has (check `has` first where that can happen). */
  get(id: string): BankAdapter;
  /** Whether a card saved with this adapter id can still be used (its bank may have been removed). */
  has(id: string): boolean;
  default(): BankAdapter;
}

export interface AppDeps {
  db: WalletDb;
  banks: BankDirectory;
  /** The wallet's own origin: WebAuthn expected origin, and its hostname is the rpID. */
  publicOrigin: string;
  /** The built widget (`dist/widget`). */
  distDir: string;
  /** Injected so tests can move time (challenge and session expiry). */
  now: () => Date;
  logger: Logger;
}

/** Largest request body any route accepts; WebAuthn responses are a few KB. */
const MAX_BODY_BYTES = 64 * 1024;

/** Wiring only: middleware, the three route groups, one error handler. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(requestLog(deps.logger));
  app.use(async function securityHeaders(c, next) {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'request_too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.route('/v1', merchantApi(deps));
  app.route('/api/frame', shopperApi(deps));
  app.route('/', widgetAssets(deps));
  app.notFound(notFound);
  app.onError(createErrorHandler(deps.logger));
  return app;
}
