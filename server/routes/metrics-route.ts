import { timingSafeEqual, createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { ApiError } from '../errors/api-error.ts';

/**
 * `GET /metrics` in Prometheus text format, for operators only: it answers
 * `Authorization: Bearer <PAYKEY_METRICS_TOKEN>` and does not exist (404) when
 * no token is configured.
 */
export function metricsRoute(registry: Registry, token: string | undefined) {
  const routes = new Hono();
  if (!token) return routes;
  const expected = sha256(token);
  routes.get('/metrics', async (c) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match || !timingSafeEqual(sha256(match[1]), expected)) {
      throw new ApiError(401, 'authentication_required', 'Send the metrics token as `Authorization: Bearer <PAYKEY_METRICS_TOKEN>`');
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
  return routes;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
