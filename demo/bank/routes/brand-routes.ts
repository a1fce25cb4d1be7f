/** `GET /brand` and `GET /logo.svg`: public, no API key. */
import { Hono } from 'hono';
import { sandboxBankBrand, sandboxBankLogoSvg } from '../sandbox-bank-brand.ts';

export function brandRoutes(): Hono {
  return new Hono()
    .get('/brand', (c) => {
      c.header('cache-control', 'public, max-age=300');
      return c.json(sandboxBankBrand);
    })
    .get('/logo.svg', (c) => {
      c.header('content-type', 'image/svg+xml; charset=utf-8');
      c.header('cache-control', 'public, max-age=300');
      return c.body(sandboxBankLogoSvg);
    });
}
