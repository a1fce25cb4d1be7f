/**
 * The bank's public signing keys, from its JWKS URL: cached for 10 minutes, refetched for an unknown kid at most
 * once every 5 seconds (so a rotated key is picked up, and a flood of bad kids does not flood the bank).
 * An unreachable or unreadable JWKS is a `BankTransportError`: the answer it was to check stays unknown.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { BankTransportError } from '../bank-adapter.ts';

export interface BankJwksCache {
  /** The key named `kid`, or `undefined` when the bank publishes none by that kid. */
  key(kid: string): Promise<KeyObject | undefined>;
}

const CACHE_MS = 600_000;
const REFETCH_MS = 5_000;

export interface BankJwksCacheOptions {
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** The clock the cache ages by; default the system clock. */
  now?: () => Date;
}

export function createBankJwksCache(jwksUrl: string, timeoutMs: number, bank: string, options: BankJwksCacheOptions = {}): BankJwksCache {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const clock = () => (options.now ? options.now().getTime() : Date.now());
  let keys = new Map<string, KeyObject>();
  let fetchedAt = -Infinity;
  let inFlight: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    let text: string;
    let status: number;
    try {
      const response = await fetchImpl(jwksUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new BankTransportError(`${bank}: expected its JWKS at ${jwksUrl}, received no answer (${(error as Error).name})`);
    }
    let list: unknown;
    try {
      list = (JSON.parse(text) as { keys?: unknown }).keys;
    } catch {
      list = undefined;
    }
    if (status !== 200 || !Array.isArray(list)) {
      throw new BankTransportError(`${bank}: expected a JWKS ({ keys: [...] }) at ${jwksUrl}, received HTTP ${status}`);
    }
    const next = new Map<string, KeyObject>();
    for (const jwk of list as Array<Record<string, unknown>>) {
      if (typeof jwk?.kid !== 'string' || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        next.set(jwk.kid, createPublicKey({ key: jwk as never, format: 'jwk' }));
      } catch {
        // A key node:crypto cannot read verifies nothing; the others still count.
      }
    }
    keys = next;
    fetchedAt = clock();
  }

  const refreshOnce = () => (inFlight ??= refresh().finally(() => (inFlight = undefined)));

  return {
    async key(kid) {
      if (clock() - fetchedAt > CACHE_MS) await refreshOnce();
      if (!keys.has(kid) && clock() - fetchedAt > REFETCH_MS) await refreshOnce();
      return keys.get(kid);
    },
  };
}
