import { sql, type ExpressionBuilder } from 'kysely';
import type { BankDirectory } from '../adapters/registry.ts';
import type { Logger } from '../http/logger.ts';
import type { WalletDb } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import type { CardRow } from './cards.ts';
import { SESSION_TTL_MS } from './sessions.ts';

/**
 * Releasing card tokens at their bank: a card the shopper removed, a one-time card paid with (the payment engine
 * deletes it once the payment is final), a one-time card of a session that ended or that nobody paid with.
 * The card leaves the shopper's list at once (`deleted_at`); the token is released when no charge with it is in
 * flight, and `released_at` is set only once the bank said so, so a bank outage only delays it: housekeeping
 * (`releaseDueCardTokens`) tries again on every pass.
 */
export interface CardReleaseDeps {
  db: WalletDb;
  banks: Pick<BankDirectory, 'has' | 'get' | 'all'>;
  now: () => Date;
  logger: Logger;
}

/** Cards released per housekeeping pass; the rest wait for the next. */
const RELEASES_PER_PASS = 100;

/**
 * Releases a deleted card's token at its bank, unless a charge with it is still pending (the pass after it settles
 * does). Returns whether the token is released now; a bank that failed is logged and left for housekeeping.
 */
export async function releaseCardToken(deps: CardReleaseDeps, card: CardRow): Promise<boolean> {
  if (card.released_at) return true;
  if (await hasPendingCharge(deps.db, card.id)) return false;
  if (!deps.banks.has(card.bank)) {
    deps.logger.warn('card_token_release_waiting', { card: card.id, bank: card.bank, reason: 'no adapter configured for the bank' });
    return false;
  }
  try {
    await deps.banks.get(card.bank).releaseToken(card.bank_token);
  } catch (error) {
    deps.logger.warn('card_token_release_failed', { card: card.id, bank: card.bank, error: error instanceof Error ? error.message : String(error) });
    return false;
  }
  await deps.db
    .updateTable('cards')
    .set({ released_at: deps.now().toISOString() })
    .where('id', '=', card.id)
    .where('released_at', 'is', null)
    .execute();
  return true;
}

/**
 * A housekeeping pass: one-time cards nobody paid with within a session's lifetime are deleted (the session that
 * added them is over), then every deleted card whose token is not released yet and has no charge in flight is
 * released at its bank. Returns how many were released and how many are still waiting.
 */
export async function releaseDueCardTokens(deps: CardReleaseDeps): Promise<{ released: number; waiting: number }> {
  const now = deps.now();
  await staleOneTimeCards(deps.db, now).execute();
  const due = await cardsDueForRelease(deps.db, deps.banks.all().map((bank) => bank.id)).execute();
  let released = 0;
  for (const card of due) if (await releaseCardToken(deps, card)) released += 1;
  return { released, waiting: due.length - released };
}

/**
 * Sign-out: the one-time cards the session added leave with it (deleted at once, tokens released unless a charge
 * with them is still in flight: the payment engine or housekeeping releases those once it settles).
 */
export async function releaseSessionCards(deps: CardReleaseDeps, shopperId: string, sessionHash: string): Promise<void> {
  const cards = await deps.db
    .selectFrom('cards')
    .selectAll()
    .where('shopper_id', '=', shopperId)
    .where('session_hash', '=', sessionHash)
    .where('saved', '=', 0)
    .where('released_at', 'is', null)
    .execute();
  const now = deps.now().toISOString();
  for (const card of cards) {
    if (!card.deleted_at) await deps.db.updateTable('cards').set({ deleted_at: now }).where('id', '=', card.id).where('deleted_at', 'is', null).execute();
    await releaseCardToken(deps, { ...card, deleted_at: card.deleted_at ?? now });
  }
}

/**
 * `releaseDueCardTokens`' first step: one-time cards added longer than a session ago, with no charge in flight, leave
 * the list (found by the partial index `cards_one_time_live`, so the saved cards of all history are not read).
 */
export function staleOneTimeCards(db: WalletDb, now: Date) {
  const staleBefore = new Date(now.getTime() - SESSION_TTL_MS).toISOString();
  return db
    .updateTable('cards')
    .set({ deleted_at: now.toISOString() })
    // A literal, not a parameter: SQLite uses the partial index only for a predicate it can see in the statement.
    .where('saved', '=', sql.lit(0))
    .where('deleted_at', 'is', null)
    .where('created_at', '<=', staleBefore)
    .where((eb) => eb.not(eb.exists(pendingChargesOf(eb))));
}

/** `releaseDueCardTokens`' pass: removed cards whose token is not released yet (partial index `cards_to_release`). */
export function cardsDueForRelease(db: WalletDb, banks: string[]) {
  return db
    .selectFrom('cards')
    .selectAll()
    .where('released_at', 'is', null)
    .where('deleted_at', 'is not', null)
    .where('bank', 'in', banks)
    .where((eb) => eb.not(eb.exists(pendingChargesOf(eb))))
    .orderBy('deleted_at')
    .limit(RELEASES_PER_PASS);
}

/** The pending charges of the card a query on `cards` is at. */
function pendingChargesOf(eb: ExpressionBuilder<Database, 'cards'>) {
  return eb.selectFrom('payment_attempts').select('payment_attempts.id').whereRef('payment_attempts.card_id', '=', 'cards.id').where('payment_attempts.status', '=', 'pending');
}

async function hasPendingCharge(db: WalletDb, cardId: string): Promise<boolean> {
  const pending = await db.selectFrom('payment_attempts').select('id').where('card_id', '=', cardId).where('status', '=', 'pending').executeTakeFirst();
  return pending !== undefined;
}
