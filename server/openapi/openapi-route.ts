import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { matchesIfNoneMatch } from '../http/compressed-asset.ts';
import { createOpenApiDocument } from './openapi-document.ts';

/**
 * `GET /openapi.json`: the API's OpenAPI 3.1 document. Public and secret-free, so anyone may fetch it (any origin,
 * cached for 5 minutes, revalidated by ETag); built once per process from the routes' schemas.
 */
export function openApiRoute() {
  const body = JSON.stringify(createOpenApiDocument());
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  const headers = { 'Cache-Control': 'public, max-age=300', ETag: etag, 'Access-Control-Allow-Origin': '*' };
  const route = new Hono();
  route.get('/openapi.json', (c) => {
    if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    return c.body(body, 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  });
  return route;
}
