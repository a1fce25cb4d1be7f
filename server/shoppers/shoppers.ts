import type { Selectable } from 'kysely';
import { randomId } from '../security/secrets.ts';
import { engineOf, type WalletDb } from '../store/database.ts';
import type { ShoppersTable } from '../store/schema.ts';
import { reusableQuery } from '../store/reusable-query.ts';

/** This module owns `shoppers`. */
export type Shopper = Selectable<ShoppersTable>;

export async function findShopper(db: WalletDb, id: string): Promise<Shopper | undefined> {
  return shopperById.first(db, { id });
}

// Read by every passkey confirmation that carries a user handle: built and compiled once (reusable-query.ts).
const shopperById = reusableQuery(['id'] as const, (db, p) => db.selectFrom('shoppers').selectAll().where('id', '=', p.id));

/** Serializes writes for one shopper until the transaction ends (PostgreSQL row lock; SQLite has one writer anyway). */
export async function lockShopper(trx: WalletDb, id: string): Promise<void> {
  if (engineOf(trx) === 'postgres') await trx.selectFrom('shoppers').select('id').where('id', '=', id).forUpdate().execute();
}

/**
 * Creates a shopper (inside the caller's transaction, with their first passkey). The email is an unverified
 * label: another account may carry the same one, and nothing here says whether it does.
 */
export async function createShopper(db: WalletDb, input: { email: string; userHandle: string; now: Date }): Promise<Shopper> {
  const shopper: Shopper = {
    id: randomId('shp'),
    email: input.email,
    email_verified_at: null,
    user_handle: input.userHandle,
    created_at: input.now.toISOString(),
    offers_general: 1,
    offers_personalized: 0,
    offers_updated_at: null,
  };
  await db.insertInto('shoppers').values(shopper).execute();
  return shopper;
}
