import type { Selectable } from 'kysely';
import { randomId, sha256Hex } from '../security/secrets.ts';
import type { WalletDb } from './database.ts';
import type { MerchantsTable } from './schema.ts';
import { reusableQuery } from './reusable-query.ts';

export type Merchant = Selectable<MerchantsTable>;

export interface MerchantSeed {
  secretKey: string;
  origins: string[];
  displayName?: string;
  /**
   * ISO 18245 merchant category code (four digits); banks match offers on it. Default: the demo merchant's
   * `DEMO_MERCHANT_MCC` (a tea shop), any other merchant 5999 (miscellaneous retail).
   */
  mcc?: string;
  /** ISO 3166-1 alpha-2 (two letters, stored upper case); default "US". */
  country?: string;
}

/** Fixed id so restarting with another key updates the same demo merchant. */
export const DEMO_MERCHANT_ID = 'mer_demo';
/** The demo shop sells tea: 5499, "miscellaneous food stores" (groceries), in the US — `PAYKEY_DEMO_MERCHANT_MCC`/`_COUNTRY` change it. */
export const DEMO_MERCHANT_MCC = '5499';
export const DEMO_MERCHANT_COUNTRY = 'US';
const OTHER_MERCHANT_MCC = '5999';

/** A merchant's category code, or a TypeError naming what was expected and received. */
export function checkMcc(value: string): string {
  if (!/^\d{4}$/.test(value)) throw new TypeError(`merchant category code: expected four digits (ISO 18245, e.g. "5499"), received ${JSON.stringify(value)}`);
  return value;
}

/** A merchant's country, upper case, or a TypeError naming what was expected and received. */
export function checkCountry(value: string): string {
  if (!/^[A-Za-z]{2}$/.test(value)) throw new TypeError(`merchant country: expected two letters (ISO 3166-1 alpha-2, e.g. "US"), received ${JSON.stringify(value)}`);
  return value.toUpperCase();
}

/** Creates or updates the demo merchant; safe to run on every start. */
export async function seedDemoMerchant(db: WalletDb, seed: MerchantSeed, now: Date): Promise<Merchant> {
  const values = {
    display_name: seed.displayName ?? 'Demo Shop',
    secret_key_hash: sha256Hex(seed.secretKey),
    allowed_origins: JSON.stringify(seed.origins.map(normalizeOrigin)),
    updated_at: now.toISOString(),
    mcc: checkMcc(seed.mcc ?? DEMO_MERCHANT_MCC),
    country: checkCountry(seed.country ?? DEMO_MERCHANT_COUNTRY),
  };
  await db
    .insertInto('merchants')
    .values({ id: DEMO_MERCHANT_ID, created_at: now.toISOString(), ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  return db.selectFrom('merchants').selectAll().where('id', '=', DEMO_MERCHANT_ID).executeTakeFirstOrThrow();
}

/** Adds another merchant (tests use it to prove isolation between merchants). */
export async function createMerchant(db: WalletDb, seed: MerchantSeed, now: Date): Promise<Merchant> {
  const row = {
    id: randomId('mer'),
    display_name: seed.displayName ?? 'Merchant',
    secret_key_hash: sha256Hex(seed.secretKey),
    allowed_origins: JSON.stringify(seed.origins.map(normalizeOrigin)),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    mcc: checkMcc(seed.mcc ?? OTHER_MERCHANT_MCC),
    country: checkCountry(seed.country ?? 'US'),
  };
  await db.insertInto('merchants').values(row).execute();
  return row;
}

export async function findMerchantBySecretKey(db: WalletDb, secretKey: string): Promise<Merchant | undefined> {
  return db.selectFrom('merchants').selectAll().where('secret_key_hash', '=', sha256Hex(secretKey)).executeTakeFirst();
}

export async function findMerchant(db: WalletDb, id: string): Promise<Merchant | undefined> {
  return merchantById.first(db, { id });
}

// Read by every payment's challenge and confirmation: built and compiled once (reusable-query.ts).
const merchantById = reusableQuery(['id'] as const, (db, p) => db.selectFrom('merchants').selectAll().where('id', '=', p.id));

export function allowedOrigins(merchant: Merchant): string[] {
  return JSON.parse(merchant.allowed_origins) as string[];
}

/** `new URL(x).origin`, rejecting anything that is not a plain http(s) origin. */
export function normalizeOrigin(value: string): string {
  const url = new URL(value.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Not an http(s) origin: ${value}`);
  return url.origin;
}
