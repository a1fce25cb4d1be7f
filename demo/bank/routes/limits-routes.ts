/** `GET /v1/limits`: what this bank carries (currencies, amount range, statement text length), under the API key. */
import { Hono } from 'hono';
import type { SandboxBankLimits } from '../sandbox-bank-limits.ts';

export function limitsRoutes(limits: SandboxBankLimits): Hono {
  return new Hono().get('/v1/limits', (c) => c.json(limits));
}
