/** `GET /v1/brand` (under the API key, what the wallet's adapter reads), and the same at `GET /brand` and the logo at `GET /logo.svg` (public). */
import { Hono } from 'hono';
import type { BankProfile } from '../bank-profile.ts';

export function brandRoutes(profile: BankProfile): Hono {
  return new Hono()
    .get('/v1/brand', (c) => c.json(profile.brand))
    .get('/brand', (c) => {
      c.header('cache-control', 'public, max-age=300');
      return c.json(profile.brand);
    })
    .get('/logo.svg', (c) => {
      c.header('content-type', 'image/svg+xml; charset=utf-8');
      c.header('cache-control', 'public, max-age=300');
      return c.body(profile.logoSvg);
    });
}
