import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';
import { describeIssue, readJsonBody } from '../http/json-body.ts';
import type { StoredResponse } from '../payments/idempotency.ts';
import { idempotentPost, type IdempotentPostDeps, type MerchantEnv } from '../http/idempotent-post.ts';
import type { WalletDb } from '../store/database.ts';
import type { WebhookEndpointList } from '../openapi/merchant-api-schemas.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './enqueue-webhook-event.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  listWebhookEndpoints,
  MAX_ENDPOINTS_PER_MERCHANT,
  toWebhookEndpointJson,
} from './webhook-endpoints.ts';

/** The request body of `POST /v1/webhook_endpoints`; the OpenAPI document is generated from it. */
export const createWebhookEndpointBody = z.strictObject({
  url: z
    .string({ error: 'is required: the http(s) URL Paykey POSTs events to' })
    .max(2048, 'must be at most 2048 characters')
    .refine(isHttpUrl, 'must be an absolute http:// or https:// URL'),
  events: z
    .array(z.string().max(100), { error: 'must be an array of event types' })
    .min(1, 'must list at least one event type (leave it out to receive every type)')
    .max(100)
    .optional()
    .meta({ description: `Event types to receive (${WEBHOOK_EVENT_TYPES.join(', ')}); default: every type` }),
});

function createEndpointError(issue: z.core.$ZodIssue): ApiError {
  return new ApiError(422, issue.path[0] === 'url' ? 'invalid_url' : 'invalid_request', describeIssue(issue));
}

/**
 * `/v1/webhook_endpoints`: where a merchant's events go. Mount it behind the
 * merchant API's authentication, which sets `c.get('merchant')`.
 */
export function webhookEndpointRoutes(deps: IdempotentPostDeps) {
  const api = new Hono<MerchantEnv>();
  const idempotent = idempotentPost(deps);

  api.post('/', async (c) => {
    const merchant = c.get('merchant');
    const { data, raw } = await readJsonBody(c, createWebhookEndpointBody, createEndpointError);
    const events = data.events ? knownEventTypes(data.events) : [...WEBHOOK_EVENT_TYPES];
    const create = async (db: WalletDb): Promise<StoredResponse> => {
      if ((await listWebhookEndpoints(db, merchant.id)).length >= MAX_ENDPOINTS_PER_MERCHANT) {
        throw new ApiError(422, 'invalid_request', `A merchant can have at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints; delete one first`);
      }
      const endpoint = await createWebhookEndpoint(db, { merchantId: merchant.id, url: new URL(data.url).href, events }, deps.now());
      // The only answer that shows the secret.
      return { status: 201, body: toWebhookEndpointJson(endpoint, { withSecret: true }) };
    };

    // A retried creation (same Idempotency-Key) must not add a second endpoint: each would receive every event.
    const response = await idempotent(c, raw, create, {
      // The stored answer keeps no secret; a replay reads it from the endpoint again (while it exists).
      secretless: (body) => ({ ...(body as object), secret: undefined }),
    });
    let body = response.body as { object?: string; id?: string };
    if (response.replayed) {
      const endpoint = body.object === 'webhook_endpoint' && body.id ? await findWebhookEndpoint(deps.db, merchant.id, body.id) : undefined;
      if (endpoint) body = toWebhookEndpointJson(endpoint, { withSecret: true });
    }
    return c.json(body, response.status as 201);
  });

  api.get('/', async (c) => {
    const endpoints = await listWebhookEndpoints(deps.db, c.get('merchant').id);
    const body: WebhookEndpointList = { data: endpoints.map((endpoint) => toWebhookEndpointJson(endpoint)) };
    return c.json(body);
  });

  api.delete('/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await deleteWebhookEndpoint(deps.db, c.get('merchant').id, id, deps.now()))) {
      throw new ApiError(404, 'resource_missing', `No webhook endpoint ${id}`);
    }
    return c.body(null, 204);
  });

  return api;
}

/** The requested types, deduplicated, in the canonical order; 422 naming any unknown one. */
function knownEventTypes(requested: string[]): WebhookEventType[] {
  const unknown = requested.filter((type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) {
    throw new ApiError(
      422,
      'invalid_request',
      `Invalid events: unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => JSON.stringify(t)).join(', ')}; known types are ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    );
  }
  return WEBHOOK_EVENT_TYPES.filter((type) => requested.includes(type));
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
