import type { Selectable } from 'kysely';
import type { BankAdapter, CardDetails } from '../adapters/bank-adapter.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomId, sha256Hex } from '../security/secrets.ts';
import { isUniqueViolation, type WalletDb } from '../store/database.ts';
import { lockShopper } from './shoppers.ts';
import type { CardsTable } from '../store/schema.ts';

export type CardRow = Selectable<CardsTable>;

export async function listCards(db: WalletDb, shopperId: string): Promise<CardRow[]> {
  return db
    .selectFrom('cards')
    .selectAll()
    .where('shopper_id', '=', shopperId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** A card whether or not the shopper deleted it since (a payment in flight still settles with its token). */
export async function findCard(db: WalletDb, id: string): Promise<CardRow | undefined> {
  return db.selectFrom('cards').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A saved, not deleted card; `undefined` otherwise. */
export async function findActiveCard(db: WalletDb, id: string): Promise<CardRow | undefined> {
  return db.selectFrom('cards').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** A shopper keeps at most this many cards: enough for anyone, too few to test stolen card numbers with. */
export const MAX_ACTIVE_CARDS = 20;

async function assertRoomForCard(db: WalletDb, shopperId: string): Promise<void> {
  const { n } = await db
    .selectFrom('cards')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('shopper_id', '=', shopperId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(n) >= MAX_ACTIVE_CARDS) {
    throw new PaykeyError('card_limit_reached', `A wallet holds at most ${MAX_ACTIVE_CARDS} cards; delete one to add another`);
  }
}

/**
 * Tokenizes a card at the bank and keeps only the token and display details.
 * The number and CVC pass through to the adapter and are dropped here.
 * `idempotencyKey` is scoped to the shopper so a retried request does not
 * create a second token.
 */
export async function addCard(
  db: WalletDb,
  adapter: BankAdapter,
  shopperId: string,
  card: CardDetails,
  idempotencyKey: string,
  now: Date,
): Promise<CardRow> {
  // Checked before the bank sees the number, and again where the card is saved (with the shopper's row locked).
  await assertRoomForCard(db, shopperId);
  const result = await adapter.tokenizeCard(card, `card_${sha256Hex(`${shopperId}:${idempotencyKey}`).slice(0, 40)}`);
  if (result.status === 'rejected') {
    throw new PaykeyError(result.code, result.message);
  }
  const { token, brand, last4, expMonth, expYear } = result.card;
  const findSaved = (from: WalletDb) =>
    from
      .selectFrom('cards')
      .selectAll()
      .where('shopper_id', '=', shopperId)
      .where('bank', '=', adapter.id)
      .where('bank_token', '=', token)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  // A retried or double-submitted request gets the same token back from the bank;
  // the check and the insert share a transaction so two of them cannot both insert.
  try {
    return await saveOnce();
  } catch (error) {
    // Another connection saved it first (the unique index `cards_active_token` refused ours): that card is the answer.
    const saved = isUniqueViolation(error) ? await findSaved(db) : undefined;
    if (saved) return saved;
    throw error;
  }

  function saveOnce() {
    return db.transaction().execute(async (trx) => {
      const existing = await findSaved(trx);
      if (existing) return existing;
      await lockShopper(trx, shopperId);
      await assertRoomForCard(trx, shopperId);
      const row: CardRow = {
        id: randomId('card'),
        shopper_id: shopperId,
        bank: adapter.id,
        bank_token: token,
        brand,
        last4,
        exp_month: expMonth,
        exp_year: expYear,
        created_at: now.toISOString(),
        deleted_at: null,
      };
      await trx.insertInto('cards').values(row).execute();
      return row;
    });
  }
}

/** Soft delete (payment attempts keep pointing at the card); only the owner may. */
export async function deleteCard(db: WalletDb, shopperId: string, cardId: string, now: Date): Promise<void> {
  const result = await db
    .updateTable('cards')
    .set({ deleted_at: now.toISOString() })
    .where('id', '=', cardId)
    .where('shopper_id', '=', shopperId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new PaykeyError('resource_missing', 'No such card');
}
