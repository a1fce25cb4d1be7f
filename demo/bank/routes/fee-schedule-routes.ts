/** `GET /v1/fee-schedule`: what a card payment costs the shopper, per currency; only for a bank whose profile has fees. */
import { Hono } from 'hono';
import type { BankProfile } from '../bank-profile.ts';

export function feeScheduleRoutes({ fees }: BankProfile): Hono {
  const app = new Hono();
  if (!fees) return app;
  return app.get('/v1/fee-schedule', (c) =>
    c.json({
      entries: fees.entries.map((entry) => ({
        method: entry.method,
        currency: entry.currency,
        fixed: entry.fixed,
        basis_points: entry.basisPoints,
        applies: entry.applies ?? 'any',
      })),
    }),
  );
}
