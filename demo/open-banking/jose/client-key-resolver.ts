/**
 * Finds a registered client's public key by kid: from the keys given at registration, or from its JWKS URL
 * (cached 60 s; an unknown kid refetches at most once every 5 s, so a rotated key is picked up).
 */
import type { KeyObject } from 'node:crypto';
import type { RegisteredClient } from '../oauth/client-registry.ts';
import { JwsError, publicKeyFromJwk } from './verify-jws.ts';

export type ClientKeyResolver = (client: RegisteredClient, kid: string) => Promise<KeyObject>;

interface CachedJwks {
  keys: Array<Record<string, unknown>>;
  fetchedAt: number;
}

const CACHE_MS = 60_000;
const REFETCH_MS = 5_000;
const FETCH_TIMEOUT_MS = 5_000;

export function createClientKeyResolver(now: () => number = Date.now): ClientKeyResolver {
  const cache = new Map<string, CachedJwks>();

  async function fetchJwks(uri: string): Promise<CachedJwks> {
    let response: Response;
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    } catch (error) {
      throw new JwsError('key', `expected the client's JWKS at ${uri}, received no answer (${(error as Error).message})`, 'kid');
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const keys = (body as { keys?: unknown } | undefined)?.keys;
    if (!response.ok || !Array.isArray(keys)) {
      throw new JwsError('key', `expected a JWKS ({ keys: [...] }) at ${uri}, received HTTP ${response.status}`, 'kid');
    }
    const entry = { keys: keys as Array<Record<string, unknown>>, fetchedAt: now() };
    cache.set(uri, entry);
    return entry;
  }

  return async function resolveClientKey(client, kid) {
    let keys: Array<Record<string, unknown>>;
    if (client.jwks) {
      keys = client.jwks.keys as Array<Record<string, unknown>>;
    } else {
      const uri = client.jwksUri!;
      let entry = cache.get(uri);
      if (!entry || now() - entry.fetchedAt > CACHE_MS) entry = await fetchJwks(uri);
      if (!entry.keys.some((key) => key.kid === kid) && now() - entry.fetchedAt > REFETCH_MS) entry = await fetchJwks(uri);
      keys = entry.keys;
    }
    const jwk = keys.find((key) => key.kid === kid);
    if (!jwk) {
      throw new JwsError('invalid_claim', `expected kid to name a key of client ${client.clientId}, received ${JSON.stringify(kid)}, which names none`, 'kid');
    }
    return publicKeyFromJwk(jwk);
  };
}
