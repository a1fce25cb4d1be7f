/**
 * What creating a payment intent costs the wallet's database (issue 7: creation ≥ 50 % of the 404 route's rate):
 * the statements better-sqlite3 runs for `POST /v1/payment_intents` with an `Idempotency-Key`, under the real server
 * over real HTTP — the intent and the key with its response (inserted unless it exists), one commit; no lookup of the merchant's
 * key (verified keys are kept a second) and no savepoint of the wrapper's own around the work.
 * SQLite only: PostgreSQL's statements go over the wire, not through better-sqlite3.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { startTestWallet, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';

// The probe counts what better-sqlite3 runs in this thread: keep the wallet's connection here (server/store/database.ts).
process.env.PAYKEY_SQLITE_THREAD = 'main';

/** Per create, as measured when set (2 work statements — the intent, the key unless it exists — and 4 controls — the commit group's begin, savepoint, release, commit — where 4 and 6 were before: the merchant lookup, the key's lookup first and a savepoint of its own); raise only with a reason. */
const WORK_STATEMENTS = 2;
const CONTROL_STATEMENTS = 4;
const COMMITS = 1;
const CREATES = 8;

const CONTROL = /^(begin|commit|rollback|savepoint|release)\b/i;

/** Counts every statement better-sqlite3 runs in this process: work, transaction controls, commits (explicit or implied). */
function countSqlite() {
  const probe = new SQLite(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const counts = { work: 0, controls: 0, commits: 0, texts: new Map<string, number>() };
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = statementPrototype[method];
    originals.set(method, original);
    statementPrototype[method] = function (this: { source: string; database: { inTransaction: boolean } }, ...args: unknown[]) {
      const text = this.source.trim();
      if (/^commit\b/i.test(text)) counts.commits += 1;
      else if (!CONTROL.test(text) && !this.database.inTransaction && /^(insert|update|delete|replace)\b/i.test(text)) counts.commits += 1;
      if (CONTROL.test(text)) counts.controls += 1;
      else counts.work += 1;
      counts.texts.set(text, (counts.texts.get(text) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  return {
    counts,
    reset() {
      Object.assign(counts, { work: 0, controls: 0, commits: 0 });
      counts.texts.clear();
    },
    restore() {
      for (const [method, original] of originals) statementPrototype[method] = original;
    },
  };
}

describe('what creating a payment intent costs the database', { skip: TEST_ENGINE !== 'sqlite' && 'SQLite only: statements are counted on better-sqlite3' }, () => {
  let wallet: TestWallet;
  let counter: ReturnType<typeof countSqlite>;
  before(async () => {
    wallet = await startTestWallet();
    counter = countSqlite();
  });
  after(async () => {
    counter?.restore();
    await wallet?.close();
  });

  test(`one create with an Idempotency-Key: at most ${WORK_STATEMENTS} statements, ${CONTROL_STATEMENTS} controls, ${COMMITS} commit`, async () => {
    const create = (n: number) =>
      wallet.request('POST', '/v1/payment_intents', { amount: 100 + n, currency: 'USD', description: `cost ${n}`, reference: `order-${n}` }, {
        authorization: `Bearer ${wallet.secretKey}`,
        'idempotency-key': `cost-${Date.now()}-${n}`,
      });
    // The first request verifies the key against the database; the start-up passes settle meanwhile.
    assert.equal((await create(-1)).status, 201);
    await new Promise((resolve) => setTimeout(resolve, 200));
    counter.reset();
    // One at a time: each its own transaction and commit (concurrent ones would share a commit).
    for (let i = 0; i < CREATES; i++) assert.equal((await create(i)).status, 201);
    const per = (n: number) => n / CREATES;
    const detail = [...counter.counts.texts].sort((a, b) => b[1] - a[1]).map(([text, n]) => `${per(n)} × ${text.slice(0, 120)}`).join('\n');
    console.log(`per create: ${per(counter.counts.work)} statements, ${per(counter.counts.controls)} controls, ${per(counter.counts.commits)} commits\n${detail}`);
    // A probe that stopped seeing the wallet's connection would pass any budget.
    assert.ok(per(counter.counts.work) >= 2 && per(counter.counts.commits) >= 1, `expected the probe to see the creates' own statements, received:\n${detail}`);
    assert.ok(per(counter.counts.work) <= WORK_STATEMENTS, `expected at most ${WORK_STATEMENTS} statements per create, received ${per(counter.counts.work)}:\n${detail}`);
    assert.ok(per(counter.counts.controls) <= CONTROL_STATEMENTS, `expected at most ${CONTROL_STATEMENTS} controls per create, received ${per(counter.counts.controls)}:\n${detail}`);
    assert.ok(per(counter.counts.commits) <= COMMITS, `expected at most ${COMMITS} commit per create, received ${per(counter.counts.commits)}:\n${detail}`);
  });
});
