/**
 * Housekeeping's cost follows what expired, not the history (issue 7): every periodic prune and scan finds its rows
 * through an index — the plan of the very statement each function runs, compiled from the same Kysely query, on
 * SQLite (`EXPLAIN QUERY PLAN`) or PostgreSQL (`EXPLAIN`, sequential scans priced out so only a missing index shows
 * one) — and deletes in batches of 500, yielding to the event loop between them, deleting exactly what it did before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, type Compilable, type KyselyPlugin, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { expiredIdempotencyKeysBatch, IDEMPOTENCY_KEY_TTL_MS, pruneIdempotencyKeys } from '../../server/payments/idempotency.ts';
import { expiredQuotesBatch, pruneExpiredQuotes, QUOTE_PRUNE_BATCH, QUOTE_WATERMARK_LAG_MS } from '../../server/payments/payment-quotes.ts';
import { expiredRateLimitWindowsBatch, pruneRateLimitWindows } from '../../server/rate-limits/rate-limit-store.ts';
import { cardsDueForRelease, staleOneTimeCards } from '../../server/shoppers/card-release.ts';
import { expiredSessionsBatch, pruneExpiredSessions } from '../../server/shoppers/sessions.ts';
import { HOUSEKEEPING_BATCH } from '../../server/store/delete-in-batches.ts';
import type { WalletDb } from '../../server/store/database.ts';
import { expiredChallengesBatch, pruneExpiredChallenges } from '../../server/webauthn/challenges.ts';
import { planOf as planOfQuery } from '../support/query-plan.ts';
import { openTestWalletDb, TEST_DB_ENGINE, type TestWalletDb } from '../support/test-wallet-db.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const EXPIRED = 5000;
const LIVE = 100;

let t: TestWalletDb;
let db: WalletDb;
before(async () => {
  t = await openTestWalletDb();
  db = t.db;
  await seed();
});
after(async () => {
  await t?.close();
});

/** `ms` before (negative) or after `NOW`, as stored. */
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

async function insertMany(table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto(table as any).values(rows.slice(i, i + 200)).execute();
}

/** History in every table housekeeping touches: EXPIRED rows past their time (some exactly at it), LIVE still valid. */
async function seed(): Promise<void> {
  const created = at(-86_400_000);
  await db.insertInto('merchants').values({ id: 'mer_hk', display_name: 'HK', secret_key_hash: 'h', allowed_origins: '[]', created_at: created, updated_at: created } as any).execute();
  await db.insertInto('payment_intents').values({ id: 'pi_hk', merchant_id: 'mer_hk', amount: 1000, currency: 'USD', status: 'requires_confirmation', client_secret_hash: 'c', created_at: created, updated_at: created } as any).execute();
  await db.insertInto('shoppers').values({ id: 'shp_hk', email: 'hk@example.com', user_handle: 'u', created_at: created } as any).execute();
  await insertMany('cards', [
    { id: 'card_hk', shopper_id: 'shp_hk', bank: 'sandbox', bank_token: 'tok', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, created_at: created, saved: 1 },
    // Saved history the card scan must not read.
    ...Array.from({ length: 300 }, (_, i) => ({ id: `card_saved_${i}`, shopper_id: 'shp_hk', bank: 'sandbox', bank_token: `tok_s${i}`, brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, created_at: created, saved: 1 })),
  ]);
  // Expired rows: oldest first, the last exactly at the boundary (deleted: `<=` for expiries).
  const expiredAt = (i: number) => at(-(EXPIRED - 1 - i) * 1000);
  const liveAt = (i: number) => at((i + 1) * 1000);
  const both = <R>(make: (i: number, live: boolean) => R) => [
    ...Array.from({ length: EXPIRED }, (_, i) => make(i, false)),
    ...Array.from({ length: LIVE }, (_, i) => make(i, true)),
  ];
  await insertMany('sessions', both((i, live) => ({ token_hash: `${live ? 'live' : 'old'}_${i}`, shopper_id: 'shp_hk', created_at: created, expires_at: live ? liveAt(i) : expiredAt(i) })));
  await insertMany('webauthn_challenges', both((i, live) => ({ id: `${live ? 'live' : 'old'}_${i}`, challenge: 'c', purpose: 'payment', intent_id: 'pi_hk', created_at: created, expires_at: live ? liveAt(i) : expiredAt(i) })));
  await insertMany('rate_limit_windows', both((i, live) => ({ bucket: `${live ? 'live' : 'old'}_${i}`, window_start: created, hits: 1, previous_hits: 0, expires_at: live ? liveAt(i) : expiredAt(i) })));
  // Idempotency keys live IDEMPOTENCY_KEY_TTL_MS from creation; one created exactly at the cutoff is kept (`<`).
  await insertMany('idempotency_keys', both((i, live) => ({
    merchant_id: 'mer_hk', idempotency_key: `${live ? 'live' : 'old'}_${i}`, request_hash: 'r', state: 'done',
    created_at: new Date((live ? NOW.getTime() + i * 1000 : Date.parse(expiredAt(i)) - 1) - IDEMPOTENCY_KEY_TTL_MS).toISOString(),
  })));
  // Quotes: expired ones nobody paid with go; expired ones an attempt was made with stay, as do live ones.
  const quote = (id: string, expiresAt: string) => ({ id, intent_id: 'pi_hk', card_id: 'card_hk', bank: 'sandbox', amount: 1000, currency: 'USD', debit_amount: 1000, debit_currency: 'USD', expires_at: expiresAt, created_at: created });
  await insertMany('payment_quotes', both((i, live) => quote(`${live ? 'live' : 'old'}_${i}`, live ? liveAt(i) : expiredAt(i))));
  await insertMany('payment_quotes', Array.from({ length: 10 }, (_, i) => quote(`paid_${i}`, expiredAt(i))));
  for (let i = 0; i < 10; i++) {
    // Attempts start pending (a guard trigger) and one intent has one pending at a time.
    await insertMany('payment_attempts', [{
      id: `pa_hk_${i}`, intent_id: 'pi_hk', card_id: 'card_hk', attempt_number: i + 1, reference: `ref_hk_${i}`, idempotency_key: `k${i}`,
      status: 'pending', quote_id: `paid_${i}`, created_at: created, updated_at: created,
    }]);
    await db.updateTable('payment_attempts').set({ status: 'declined' }).where('id', '=', `pa_hk_${i}`).execute();
  }
  if (TEST_DB_ENGINE === 'postgres') await db.executeQuery(CompiledQuery.raw('ANALYZE'));
}

/** The plan of `query` as the database would run it, one line per step. */
const planOf = (query: Compilable<unknown>) => planOfQuery(db, TEST_DB_ENGINE, query);

/** The plan reads `tables` only through indexes, and uses each of `indexes`. */
async function assertIndexed(query: Compilable<unknown>, tables: string[], indexes: string[]): Promise<void> {
  const plan = await planOf(query);
  const text = plan.join('\n');
  for (const table of tables) {
    const fullScan = TEST_DB_ENGINE === 'sqlite' ? new RegExp(`^SCAN ${table}\\s*$`, 'm') : new RegExp(`Seq Scan on ${table}\\b`);
    assert.ok(!fullScan.test(text), `${table} is read whole, not through an index; plan:\n${text}`);
  }
  for (const index of indexes) assert.ok(text.includes(index), `the plan does not use ${index}; plan:\n${text}`);
  if (TEST_DB_ENGINE === 'sqlite') assert.ok(!/TEMP B-TREE/.test(text), `the plan sorts instead of reading in index order; plan:\n${text}`);
}

/** Records the rows each DELETE on `table` affected, in order, through the function under test's own db handle. */
function countDeletes(table: string): { db: WalletDb; batches: number[] } {
  const batches: number[] = [];
  const ids = new WeakSet<object>();
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const node = args.node as RootOperationNode & { from?: { froms?: { table?: { identifier?: { name?: string } } }[] } };
      if (node.kind === 'DeleteQueryNode' && node.from?.froms?.[0]?.table?.identifier?.name === table) ids.add(args.queryId);
      return args.node;
    },
    async transformResult(args): Promise<QueryResult<UnknownRow>> {
      if (ids.has(args.queryId)) batches.push(Number(args.result.numAffectedRows ?? 0n));
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), batches };
}

/** The rows each SELECT on `payment_quotes` returned, in order, through one handle (the quote pass returns every row it visits). */
function countQuoteRowsRead(): { db: WalletDb; rows: number[] } {
  const rows: number[] = [];
  const ids = new WeakSet<object>();
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const node = args.node as RootOperationNode & { from?: { froms?: { table?: { identifier?: { name?: string } } }[] } };
      if (node.kind === 'SelectQueryNode' && node.from?.froms?.[0]?.table?.identifier?.name === 'payment_quotes') ids.add(args.queryId);
      return args.node;
    },
    async transformResult(args): Promise<QueryResult<UnknownRow>> {
      if (ids.has(args.queryId)) rows.push(args.result.rows.length);
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), rows };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** A quote of the seeded intent and card. */
function quoteRow(id: string, expiresAt: string) {
  return { id, intent_id: 'pi_hk', card_id: 'card_hk', bank: 'sandbox', amount: 1000, currency: 'USD', debit_amount: 1000, debit_currency: 'USD', expires_at: expiresAt, created_at: expiresAt };
}

/** Event-loop turns taken while `work` runs: housekeeping must let requests in between its batches. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return turns;
}

const keysOf = async (table: string, column: string) =>
  (await db.selectFrom(table as any).select(column as any).execute()).map((row: any) => String(row[column])).sort();
const liveKeys = Array.from({ length: LIVE }, (_, i) => `live_${i}`).sort();
const fullBatches = (n: number, batch: number) => [...Array.from({ length: Math.floor(n / batch) }, () => batch), n % batch];

describe(`housekeeping uses indexes and small batches (${TEST_DB_ENGINE})`, () => {
  test('every prune and scan reads through an index', async () => {
    await assertIndexed(expiredSessionsBatch(db, NOW, HOUSEKEEPING_BATCH), ['sessions'], ['sessions_expiry']);
    await assertIndexed(expiredChallengesBatch(db, NOW, HOUSEKEEPING_BATCH), ['webauthn_challenges'], ['webauthn_challenges_expiry']);
    await assertIndexed(expiredRateLimitWindowsBatch(db, NOW, HOUSEKEEPING_BATCH), ['rate_limit_windows'], ['rate_limit_windows_expiry']);
    await assertIndexed(expiredIdempotencyKeysBatch(db, NOW, HOUSEKEEPING_BATCH), ['idempotency_keys'], ['idempotency_keys_created']);
    await assertIndexed(expiredQuotesBatch(db, NOW, QUOTE_PRUNE_BATCH), ['payment_quotes', 'payment_attempts'], ['payment_quotes_expires', 'payment_attempts_quote']);
    // A later pass: the range since the watermark, and within a pass from the last batch's expiry.
    const later = { after: at(-60_000), from: at(-30_000), seenAtFrom: ['old_1', 'old_2'] };
    await assertIndexed(expiredQuotesBatch(db, NOW, QUOTE_PRUNE_BATCH, later), ['payment_quotes', 'payment_attempts'], ['payment_quotes_expires', 'payment_attempts_quote']);
    // Pending charges of a card: by `payment_attempts_card` or by the pending-only `payment_attempts_one_pending`, as the planner likes.
    await assertIndexed(staleOneTimeCards(db, NOW), ['cards', 'payment_attempts'], ['cards_one_time_live']);
    const due = planOf(cardsDueForRelease(db, ['sandbox', 'lotus']));
    const text = (await due).join('\n');
    assert.ok(text.includes('cards_to_release'), `the release scan does not use cards_to_release; plan:\n${text}`);
    assert.ok(!(TEST_DB_ENGINE === 'sqlite' ? /^SCAN cards\s*$/m : /Seq Scan on cards\b/).test(text), `cards read whole; plan:\n${text}`);
  });

  test('sessions: every expired one goes, in batches of 500 with the event loop turning between them; live ones stay', async () => {
    const counted = countDeletes('sessions');
    let deleted = 0;
    const turns = await turnsDuring(async () => (deleted = await pruneExpiredSessions(counted.db, NOW)));
    assert.equal(deleted, EXPIRED);
    assert.deepEqual(counted.batches, fullBatches(EXPIRED, HOUSEKEEPING_BATCH));
    assert.ok(turns >= counted.batches.length - 1, `the event loop turned ${turns} times over ${counted.batches.length} batches`);
    assert.deepEqual(await keysOf('sessions', 'token_hash'), liveKeys);
  });

  test('challenges: every expired one goes, in batches; live ones stay', async () => {
    const counted = countDeletes('webauthn_challenges');
    assert.equal(await pruneExpiredChallenges(counted.db, NOW), EXPIRED);
    assert.deepEqual(counted.batches, fullBatches(EXPIRED, HOUSEKEEPING_BATCH));
    assert.deepEqual(await keysOf('webauthn_challenges', 'id'), liveKeys);
  });

  test('rate-limit windows: every expired one goes, in batches; live ones stay', async () => {
    const counted = countDeletes('rate_limit_windows');
    assert.equal(await pruneRateLimitWindows(counted.db, NOW), EXPIRED);
    assert.deepEqual(counted.batches, fullBatches(EXPIRED, HOUSEKEEPING_BATCH));
    assert.deepEqual(await keysOf('rate_limit_windows', 'bucket'), liveKeys);
  });

  test('idempotency keys: every one past its lifetime goes, in batches; one created exactly at the cutoff stays', async () => {
    const counted = countDeletes('idempotency_keys');
    await pruneIdempotencyKeys(counted.db, NOW);
    assert.deepEqual(counted.batches, fullBatches(EXPIRED, HOUSEKEEPING_BATCH));
    assert.deepEqual(await keysOf('idempotency_keys', 'idempotency_key'), liveKeys);
  });

  test('quotes: expired ones nobody paid with go, in batches; paid-with and live ones stay', async () => {
    const counted = countDeletes('payment_quotes');
    assert.equal(await pruneExpiredQuotes(counted.db, NOW), EXPIRED);
    // Each batch reads up to QUOTE_PRUNE_BATCH expired quotes, paid-with ones included (kept), and deletes the rest.
    assert.equal(counted.batches.reduce((a, b) => a + b, 0), EXPIRED);
    assert.ok(counted.batches.every((n) => n > 0 && n <= QUOTE_PRUNE_BATCH), `batches ${counted.batches.join(', ')}`);
    assert.deepEqual(await keysOf('payment_quotes', 'id'), [...liveKeys, ...Array.from({ length: 10 }, (_, i) => `paid_${i}`)].sort());
  });

  test('quotes: a later pass reads only what expired since the last one, however many paid-with quotes history holds', async () => {
    // One handle for every pass, as the server has: the watermark belongs to it.
    const probe = countQuoteRowsRead();
    const t0 = new Date(NOW.getTime() + 86_400_000);
    const later = (ms: number) => new Date(t0.getTime() + ms);
    await pruneExpiredQuotes(probe.db, t0); // the first pass of a process reads the whole expired range once
    // History: 1,000 paid-with quotes that expire before the next pass (kept for ever: the record of what was signed).
    const HISTORY = 1000;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < HISTORY; i++) {
        const expiresAt = later(60_000 + i).toISOString();
        await trx.insertInto('payment_quotes').values(quoteRow(`hist_${i}`, expiresAt) as any).execute();
        await trx.insertInto('payment_attempts').values({
          id: `pa_hist_${i}`, intent_id: 'pi_hk', card_id: 'card_hk', attempt_number: 100 + i, reference: `ref_hist_${i}`, idempotency_key: `kh${i}`,
          status: 'pending', quote_id: `hist_${i}`, created_at: expiresAt, updated_at: expiresAt,
        } as any).execute();
        await trx.updateTable('payment_attempts').set({ status: 'declined' }).where('id', '=', `pa_hist_${i}`).execute();
      }
    });
    if (TEST_DB_ENGINE === 'postgres') await db.executeQuery(CompiledQuery.raw('ANALYZE'));
    const t1 = later(10 * 60_000);
    probe.rows.length = 0;
    assert.equal(await pruneExpiredQuotes(probe.db, t1), 0);
    assert.equal(sum(probe.rows), HISTORY, 'the pass after they expired reads each of them once');

    // Then 20 quotes nobody paid with expire; the next pass reads those 20, not the 1,010 paid-with ones before them.
    const fresh = Array.from({ length: 20 }, (_, i) => quoteRow(`fresh_${i}`, later(10 * 60_000 + QUOTE_WATERMARK_LAG_MS + 1000 + i).toISOString()));
    await db.insertInto('payment_quotes').values(fresh as any).execute();
    const t2 = later(20 * 60_000);
    probe.rows.length = 0;
    assert.equal(await pruneExpiredQuotes(probe.db, t2), 20);
    assert.equal(sum(probe.rows), 20, `rows read per batch: ${probe.rows.join(', ')}`);
    const paidExpired = await db.selectFrom('payment_quotes').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '<=', t2.toISOString()).executeTakeFirstOrThrow();
    assert.equal(Number(paidExpired.n), HISTORY + 10, 'history still holds every paid-with quote');

    // A pass with nothing new reads nothing (bar what expired within the watermark's lag).
    probe.rows.length = 0;
    assert.equal(await pruneExpiredQuotes(probe.db, later(30 * 60_000)), 0);
    assert.equal(sum(probe.rows), 0);
  });
});
