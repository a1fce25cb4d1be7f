/**
 * Middleware: every call waits a fixed `ms` before it is handled, like a bank behind a real network
 * (`SANDBOX_LATENCY_MS`). `npm run bench` gives the bank a known latency so the wallet's own cost per payment
 * can be told apart from the bank's. Unlike the fault injector's `latency` rule it logs nothing per call.
 */
import type { MiddlewareHandler } from 'hono';

export function fixedLatency(ms: number): MiddlewareHandler {
  if (!Number.isInteger(ms) || ms < 0) throw new TypeError(`fixedLatency: expected a whole number of milliseconds ≥ 0, received ${String(ms)}`);
  return async function waitFixedLatency(_c, next) {
    await new Promise<void>((resolve) => setTimeout(resolve, ms));
    await next();
  };
}
