/**
 * The cards table itself refuses a second active card with the same bank token (any process, any engine), and
 * keeps cards from before one-time cards existed as saved ones.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listCards } from '../../server/shoppers/cards.ts';
import { openDatabase, type WalletDb } from '../../server/store/database.ts';

describe('cards table', () => {
  let dir: string;
  let db: WalletDb;
  const now = '2026-11-27T00:00:00.000Z';
  const card = (id: string) => ({
    id, shopper_id: 'shp_1', bank: 'sandbox', bank_token: 'tok_same', brand: 'visa', last4: '4242',
    exp_month: 12, exp_year: 2034, created_at: now, deleted_at: null,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paykey-cards-'));
    db = await openDatabase({ dataDir: dir });
    await db.insertInto('shoppers').values({ id: 'shp_1', email: 'ada@example.com', user_handle: 'uh_1', created_at: now }).execute();
  });
  after(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds one active card per shopper, bank and token; a deleted one does not count', async () => {
    await db.insertInto('cards').values(card('card_1')).execute();
    await assert.rejects(db.insertInto('cards').values(card('card_2')).execute(), /UNIQUE/);
    await db.updateTable('cards').set({ deleted_at: now }).where('id', '=', 'card_1').execute();
    await db.insertInto('cards').values(card('card_3')).execute();
    const active = await db.selectFrom('cards').select('id').where('deleted_at', 'is', null).execute();
    assert.deepEqual(active.map((r) => r.id), ['card_3']);
  });

  it('a card is saved unless inserted as one-time (saved = 0, and nothing else); only saved, live cards are listed', async () => {
    const one = { ...card('card_once'), bank_token: 'tok_once' };
    await db.insertInto('cards').values({ ...card('card_old'), bank_token: 'tok_old' }).execute();
    await db.insertInto('cards').values({ ...one, saved: 0, session_hash: 'abc', currency: 'CNY' }).execute();
    await assert.rejects(db.insertInto('cards').values({ ...card('card_odd'), bank_token: 'tok_odd', saved: 2 }).execute(), /CHECK/);
    const old = await db.selectFrom('cards').selectAll().where('id', '=', 'card_old').executeTakeFirstOrThrow();
    assert.deepEqual([old.saved, old.currency, old.session_hash, old.released_at], [1, null, null, null]);
    assert.deepEqual((await listCards(db, 'shp_1')).map((c) => c.id), ['card_3', 'card_old']);
  });
});
