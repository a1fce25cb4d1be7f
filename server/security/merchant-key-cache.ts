import type { Merchant } from '../store/merchants.ts';
import { digestsEqual, sha256Hex } from './secrets.ts';

/**
 * How long a verified secret key is trusted without asking the database again. A key is revoked by changing the
 * merchant's `secret_key_hash` (a start with another demo key, or an operator's update, possibly from another
 * instance on the same PostgreSQL): every process stops accepting the old key at most this long afterwards.
 */
export const MERCHANT_KEY_CACHE_MS = 1_000;
/** Verified keys kept at most; a deployment has a handful of merchants, this only bounds memory. */
export const MERCHANT_KEY_CACHE_ENTRIES = 1_024;

export interface MerchantKeyCacheOptions {
  /** The merchant whose stored hash is this secret key's, from the database (`findMerchantBySecretKey`). */
  lookup: (secretKey: string) => Promise<Merchant | undefined>;
  /** Milliseconds since some epoch; tests move it. Default `performance.now`. */
  clock?: () => number;
  ttlMs?: number;
  maxEntries?: number;
}

export interface MerchantKeyCache {
  /** The merchant this secret key belongs to, or `undefined` for a key no merchant has. */
  find(secretKey: string): Promise<Merchant | undefined>;
}

interface Entry {
  merchant: Merchant;
  expiresAt: number;
}

/**
 * Merchant API authentication without a database round trip per request: a key the database verified is kept,
 * by its SHA-256 (never the secret itself), for `ttlMs`. A hit is checked again against the row's stored hash with
 * a constant-time compare, as a miss is by the database's lookup of the same hash. Unknown keys are not kept: a
 * stranger's guesses cannot fill the memory or stay accepted, and each costs the lookup it costs today.
 */
export function createMerchantKeyCache(options: MerchantKeyCacheOptions): MerchantKeyCache {
  const clock = options.clock ?? (() => performance.now());
  const ttlMs = options.ttlMs ?? MERCHANT_KEY_CACHE_MS;
  const maxEntries = options.maxEntries ?? MERCHANT_KEY_CACHE_ENTRIES;
  if (!(ttlMs >= 0)) throw new TypeError(`merchant key cache: expected ttlMs ≥ 0, received ${ttlMs}`);
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new TypeError(`merchant key cache: expected maxEntries a whole number ≥ 1, received ${maxEntries}`);
  const entries = new Map<string, Entry>();
  return {
    async find(secretKey) {
      const hash = sha256Hex(secretKey);
      const cached = entries.get(hash);
      if (cached && cached.expiresAt > clock() && digestsEqual(cached.merchant.secret_key_hash, hash)) return cached.merchant;
      if (cached) entries.delete(hash);
      const merchant = await options.lookup(secretKey);
      if (!merchant) return undefined;
      // The oldest entry makes room (a Map iterates in insertion order).
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      // Shared by every request with this key until it expires: nobody may change it.
      const kept = Object.freeze({ ...merchant });
      entries.set(hash, { merchant: kept, expiresAt: clock() + ttlMs });
      return kept;
    },
  };
}
