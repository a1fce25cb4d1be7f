import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { ApiError } from '../errors/api-error.ts';
import { parseBearer } from '../http/bearer-token.ts';
import { digestsEqual, sha256Hex } from '../security/secrets.ts';

/**
 * `GET /metrics` in Prometheus text format, for operators only: it answers
 * `Authorization: Bearer <PAYKEY_METRICS_TOKEN>` and does not exist (404) when
 * no token is configured.
 */
export function metricsRoute(registry: Registry, token: string | undefined) {
  const routes = new Hono();
  if (!token) return routes;
  const expected = sha256Hex(token);
  routes.get('/metrics', async (c) => {
    const presented = parseBearer(c.req.header('authorization'));
    // Compared as digests, in constant time, so neither the token nor its length leaks.
    if (!presented || !digestsEqual(sha256Hex(presented), expected)) {
      throw new ApiError(401, 'authentication_required', 'Send the metrics token as `Authorization: Bearer <PAYKEY_METRICS_TOKEN>`');
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
  return routes;
}
