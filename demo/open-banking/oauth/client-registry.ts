/**
 * The TPPs Meridian knows (a stand-in for Open Banking Directory enrolment and dynamic client registration),
 * configured by whoever starts the bank (`OB_BANK_CLIENTS`, JSON):
 *
 *   [{ "clientId": "paykey-wallet", "redirectUris": ["http://127.0.0.1:8787/ob/callback"],
 *      "jwksUri": "http://127.0.0.1:8787/.well-known/jwks.json" }]       // or "jwks": { "keys": [ <RSA JWK> ] }
 *
 * The client's keys sign its token requests (private_key_jwt), its request objects and its API requests
 * (x-jws-signature); `iss` in those signatures is the clientId.
 */
import type { JsonWebKey } from 'node:crypto';
import { z } from 'zod';

const jwkSchema = z.looseObject({ kty: z.literal('RSA'), kid: z.string().min(1), n: z.string().min(1), e: z.string().min(1) });

const clientSchema = z
  .strictObject({
    clientId: z.string().min(1).max(128),
    redirectUris: z.array(z.url({ protocol: /^https?$/ })).min(1),
    jwksUri: z.url({ protocol: /^https?$/ }).optional(),
    jwks: z.strictObject({ keys: z.array(jwkSchema).min(1) }).optional(),
  })
  .refine((client) => (client.jwksUri === undefined) !== (client.jwks === undefined), {
    message: 'expected exactly one of jwksUri or jwks',
  });

export const clientListSchema = z.array(clientSchema);

export interface RegisteredClient {
  clientId: string;
  redirectUris: string[];
  /** Where the client publishes its JWKS (fetched, cached 60 s, refetched for an unknown kid). */
  jwksUri?: string;
  /** Or its keys, given at registration. */
  jwks?: { keys: JsonWebKey[] };
}

export interface ClientRegistry {
  get(clientId: string): RegisteredClient | undefined;
  list(): RegisteredClient[];
}

export function parseClientList(json: string): RegisteredClient[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new TypeError('OB_BANK_CLIENTS: expected a JSON array of clients, received text that does not parse as JSON');
  }
  const parsed = clientListSchema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'clients'}: ${issue.message}`).join('; ');
    throw new TypeError(`OB_BANK_CLIENTS: expected [{ clientId, redirectUris, jwksUri | jwks }], received ${details}`);
  }
  return parsed.data as RegisteredClient[];
}

export function createClientRegistry(clients: RegisteredClient[]): ClientRegistry {
  const byId = new Map<string, RegisteredClient>();
  for (const client of clients) {
    if (byId.has(client.clientId)) throw new TypeError(`client registry: expected unique clientIds, received ${client.clientId} twice`);
    byId.set(client.clientId, client);
  }
  return { get: (clientId) => byId.get(clientId), list: () => [...byId.values()] };
}
