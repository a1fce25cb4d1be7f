/**
 * Issuing a challenge retires the oldest open ones of its intent and its shopper (`MAX_OPEN_CHALLENGES`), so it
 * first reads their open ones. That read finds them through indexes of open challenges only (issue 7: cost does not
 * grow with history): a shopper who has used thousands of challenges costs what one with none does. Checked on the
 * very statement `issueChallenge` runs, by its plan (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN`), and the
 * retiring itself on a history of used ones.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, type Compilable } from 'kysely';
import type { WalletDb } from '../../server/store/database.ts';
import { issueChallenge, MAX_OPEN_CHALLENGES, openChallengesOf } from '../../server/webauthn/challenges.ts';
import { indexDefinition, indexesInPlan, planOf } from '../support/query-plan.ts';
import { openTestWalletDb, TEST_DB_ENGINE, type TestWalletDb } from '../support/test-wallet-db.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const USED = 3000;

let t: TestWalletDb;
let db: WalletDb;
before(async () => {
  t = await openTestWalletDb();
  db = t.db;
  const created = new Date(NOW.getTime() - 60_000).toISOString();
  await db.insertInto('merchants').values({ id: 'mer_oc', display_name: 'OC', secret_key_hash: 'h', allowed_origins: '[]', created_at: created, updated_at: created } as any).execute();
  await db.insertInto('payment_intents').values({ id: 'pi_oc', merchant_id: 'mer_oc', amount: 1000, currency: 'USD', status: 'requires_confirmation', client_secret_hash: 'c', created_at: created, updated_at: created } as any).execute();
  await db.insertInto('shoppers').values({ id: 'shp_oc', email: 'oc@example.com', user_handle: 'u', created_at: created } as any).execute();
  // A busy shopper's last minutes: thousands of used challenges, none expired yet (housekeeping has not pruned them).
  const used = Array.from({ length: USED }, (_, i) => ({
    id: `used_${i}`, challenge: 'c', purpose: 'payment', intent_id: 'pi_oc', shopper_id: 'shp_oc',
    created_at: new Date(NOW.getTime() - 60_000 + i).toISOString(), expires_at: new Date(NOW.getTime() + 240_000).toISOString(), consumed_at: created,
  }));
  for (let i = 0; i < used.length; i += 200) await db.insertInto('webauthn_challenges').values(used.slice(i, i + 200) as any).execute();
  if (TEST_DB_ENGINE === 'postgres') await db.executeQuery(CompiledQuery.raw('ANALYZE'));
});
after(async () => {
  await t?.close();
});

/** The plan of `query`, and the definitions of the indexes it reads through. */
async function indexesReadBy(query: Compilable<unknown>): Promise<{ plan: string; definitions: string[] }> {
  const plan = await planOf(db, TEST_DB_ENGINE, query);
  const definitions = await Promise.all(indexesInPlan(TEST_DB_ENGINE, plan).map((name) => indexDefinition(db, TEST_DB_ENGINE, name)));
  return { plan: plan.join('\n'), definitions };
}

describe(`issuing a challenge reads only the open ones (${TEST_DB_ENGINE})`, () => {
  for (const [column, value] of [['shopper_id', 'shp_oc'], ['intent_id', 'pi_oc']] as const) {
    test(`the open challenges of one ${column === 'shopper_id' ? 'shopper' : 'intent'} come from an index of open challenges only`, async () => {
      const query = { compile: () => openChallengesOf[column].compile(db, { value, keep: 'none', now: NOW.toISOString() }) };
      const { plan, definitions } = await indexesReadBy(query);
      assert.ok(definitions.length > 0, `expected the read to use an index, the plan was:\n${plan}`);
      for (const definition of definitions) {
        assert.match(definition, /WHERE \(?\s*consumed_at IS NULL\s*\)?/i, `expected an index of open challenges only, received ${definition}; plan:\n${plan}`);
        assert.match(definition, new RegExp(`\\(${column}, created_at, id\\)`), `expected the index in the query's order (${column}, created_at, id), received ${definition}`);
      }
      if (TEST_DB_ENGINE === 'sqlite') assert.doesNotMatch(plan, /TEMP B-TREE/, `expected no sort (the index is in order); plan:\n${plan}`);
    });
  }

  test(`past ${USED} used ones, issuing keeps the newest ${MAX_OPEN_CHALLENGES} open and leaves the used ones`, async () => {
    const issued: string[] = [];
    for (let i = 0; i < MAX_OPEN_CHALLENGES + 2; i++) {
      const at = new Date(NOW.getTime() + i);
      issued.push((await issueChallenge(db, { purpose: 'payment', intentId: 'pi_oc', shopperId: 'shp_oc' }, at)).id);
    }
    const open = await db.selectFrom('webauthn_challenges').select('id').where('consumed_at', 'is', null).orderBy('created_at').execute();
    assert.deepEqual(open.map((row) => row.id), issued.slice(-MAX_OPEN_CHALLENGES));
    const used = await db.selectFrom('webauthn_challenges').select((eb) => eb.fn.countAll<number>().as('n')).where('consumed_at', 'is not', null).executeTakeFirstOrThrow();
    assert.equal(Number(used.n), USED);
  });
});
