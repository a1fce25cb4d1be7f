/** The cards table itself refuses a second active card with the same bank token (any process, any engine). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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
});
