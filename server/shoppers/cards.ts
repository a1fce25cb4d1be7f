import type { Selectable } from 'kysely';
import type { BankAdapter, CardDetails } from '../adapters/bank-adapter.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { randomId, sha256Hex } from '../security/secrets.ts';
import { isUniqueViolation, type WalletDb } from '../store/database.ts';
import { lockShopper } from './shoppers.ts';
import type { CardsTable } from '../store/schema.ts';
import { reusableQuery } from '../store/reusable-query.ts';

export type CardRow = Selectable<CardsTable>;

/** The cards a shopper kept (`saved`), oldest first: one-time cards are never listed. */
export async function listCards(db: WalletDb, shopperId: string): Promise<CardRow[]> {
  return db
    .selectFrom('cards')
    .selectAll()
    .where('shopper_id', '=', shopperId)
    .where('deleted_at', 'is', null)
    .where('saved', '=', 1)
    .orderBy('created_at')
    .execute();
}

/** A card whether or not the shopper deleted it since (a payment in flight still settles with its token). */
export async function findCard(db: WalletDb, id: string): Promise<CardRow | undefined> {
  return cardById.first(db, { id });
}

/** A card not deleted (saved, or a one-time card not paid with yet); `undefined` otherwise. */
export async function findActiveCard(db: WalletDb, id: string): Promise<CardRow | undefined> {
  return activeCardById.first(db, { id });
}

// Read by every step of a payment: built and compiled once (reusable-query.ts).
const cardById = reusableQuery(['id'] as const, (db, p) => db.selectFrom('cards').selectAll().where('id', '=', p.id));
const activeCardById = reusableQuery(['id'] as const, (db, p) => db.selectFrom('cards').selectAll().where('id', '=', p.id).where('deleted_at', 'is', null));

/** A shopper keeps at most this many cards: enough for anyone, too few to test stolen card numbers with. */
export const MAX_ACTIVE_CARDS = 20;

/**
 * Every live card counts, one-time cards too (they go once paid with): a full wallet tokenizes nothing more at the
 * bank, kept or not, so it cannot be used to test card numbers.
 */
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

/** Whether the shopper keeps the card, and for a one-time card the session it pays in (sign-out releases it). */
export type CardKeeping = { save: true } | { save: false; sessionToken: string };

/**
 * Tokenizes a card at the bank and keeps only the token and display details.
 * The number and CVC pass through to the adapter and are dropped here.
 * `idempotencyKey` is scoped to the shopper so a retried request does not
 * create a second token. A one-time card (`save: false`) is a row too, so the
 * payment can name it, but it is never listed and its token is released once
 * its payment is final (or it was never used: see card-release.ts).
 */
export async function addCard(
  db: WalletDb,
  adapter: BankAdapter,
  shopperId: string,
  card: CardDetails,
  idempotencyKey: string,
  now: Date,
  keeping: CardKeeping = { save: true },
): Promise<CardRow> {
  // Checked before the bank sees the number, and again where the card is saved (with the shopper's row locked).
  await assertRoomForCard(db, shopperId);
  const result = await adapter.tokenizeCard(card, `card_${sha256Hex(`${shopperId}:${idempotencyKey}`).slice(0, 40)}`);
  if (result.status === 'rejected') {
    throw new PaykeyError(result.code, result.message);
  }
  const { token, brand, last4, expMonth, expYear, currency } = result.card;
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
      // The same card again: asked to keep it now, a one-time card becomes a kept one (never the other way).
      if (existing && keeping.save && existing.saved === 0) {
        await trx.updateTable('cards').set({ saved: 1, session_hash: null }).where('id', '=', existing.id).execute();
        return { ...existing, saved: 1, session_hash: null };
      }
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
        currency,
        saved: keeping.save ? 1 : 0,
        session_hash: keeping.save ? null : sha256Hex(keeping.sessionToken),
        released_at: null,
      };
      await trx.insertInto('cards').values(row).execute();
      return row;
    });
  }
}

/**
 * Soft delete (payment attempts keep pointing at the card); only the owner may. The token stays live at the bank
 * until `releaseCardToken` (card-release.ts) has released it: a charge in flight with it still settles.
 */
export async function markCardDeleted(db: WalletDb, shopperId: string, cardId: string, now: Date): Promise<CardRow> {
  const card = await db
    .selectFrom('cards')
    .selectAll()
    .where('id', '=', cardId)
    .where('shopper_id', '=', shopperId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!card) throw new PaykeyError('resource_missing', `No card ${JSON.stringify(cardId.slice(0, 100))} in this wallet`);
  const result = await db
    .updateTable('cards')
    .set({ deleted_at: now.toISOString() })
    .where('id', '=', cardId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new PaykeyError('resource_missing', `No card ${JSON.stringify(cardId.slice(0, 100))} in this wallet`);
  return { ...card, deleted_at: now.toISOString() };
}
