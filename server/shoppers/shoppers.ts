import type { Selectable } from 'kysely';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomId } from '../security/secrets.ts';
import { engineOf, type WalletDb } from '../store/database.ts';
import type { ShoppersTable } from '../store/schema.ts';

/** This module owns `shoppers`. */
export type Shopper = Selectable<ShoppersTable>;

export async function findShopper(db: WalletDb, id: string): Promise<Shopper | undefined> {
  return db.selectFrom('shoppers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Serializes writes for one shopper until the transaction ends (PostgreSQL row lock; SQLite has one writer anyway). */
export async function lockShopper(trx: WalletDb, id: string): Promise<void> {
  if (engineOf(trx) === 'postgres') await trx.selectFrom('shoppers').select('id').where('id', '=', id).forUpdate().execute();
}

/** Refuses an email that already has an account (sign in with its passkey instead). */
export async function assertEmailFree(db: WalletDb, email: string): Promise<void> {
  const existing = await db.selectFrom('shoppers').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) {
    throw new PaykeyError('email_taken', 'A passkey already exists for this email; use "Continue with passkey"');
  }
}

/** Creates a shopper (inside the caller's transaction, with their first passkey). */
export async function createShopper(db: WalletDb, input: { email: string; userHandle: string; now: Date }): Promise<Shopper> {
  await assertEmailFree(db, input.email);
  const shopper: Shopper = { id: randomId('shp'), email: input.email, user_handle: input.userHandle, created_at: input.now.toISOString() };
  await db.insertInto('shoppers').values(shopper).execute();
  return shopper;
}
