/**
 * Email enumeration and squatting (issue 5 #4): an account is found by its passkey (a discoverable credential),
 * never by its email. Registration answers the same whatever the email; two accounts may carry the same
 * unverified email, and each signs in with its own passkey to its own cards.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type DatabaseConfig } from '../../server/store/database.ts';
import { migrations } from '../../server/store/migrations/migrate-to-latest.ts';
import type { RegistrationOptionsResponse, SessionResponse } from '../../widget/shopper-api.ts';
import { addCard, bearer, createIntent, registerShopper, signIn } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import type { TestBank } from '../support/test-bank.ts';
import { createEmptyTestDatabase, TEST_ENGINE, type TestWallet } from '../support/wallet-harness.ts';
import { closeWalletWithTestBank, startWalletWithTestBank } from '../support/wallet-with-test-bank.ts';

let bank: TestBank;
let wallet: TestWallet;
before(async () => ({ bank, wallet } = await startWalletWithTestBank()));
after(() => closeWalletWithTestBank({ bank, wallet }));

const count = async (sql: string, ...params: unknown[]) => Number((await wallet.query<{ n: number }>(sql, params))[0].n);

/** The answer to registration options without what is random in it (challenge, its id, the user handle). */
async function registrationOptionsShape(clientSecret: string, email: string) {
  const res = await wallet.request('POST', '/api/frame/registrations/options', { client_secret: clientSecret, email });
  const text = await res.text();
  assert.equal(res.status, 200, `registration options for ${email}: expected 200, received ${res.status} ${text}`);
  const body = JSON.parse(text) as RegistrationOptionsResponse;
  const { challenge: _challenge, user, ...rest } = body.options;
  return {
    status: res.status,
    headers: [...res.headers.entries()].filter(([name]) => !['date', 'content-length'].includes(name)),
    keys: Object.keys(body).sort(),
    options: { ...rest, user: { name: user.name.replace(email.toLowerCase(), '<email>'), displayName: user.displayName.replace(email.toLowerCase(), '<email>') } },
  };
}

describe('registration', () => {
  test('answers a known email exactly as an unknown one', async () => {
    const intent = await createIntent(wallet);
    await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'known@example.com');
    const shoppers = await count('SELECT count(*) AS n FROM shoppers');

    const known = await registrationOptionsShape(intent.client_secret, 'known@example.com');
    const knownShouted = await registrationOptionsShape(intent.client_secret, 'KNOWN@example.com');
    const unknown = await registrationOptionsShape(intent.client_secret, 'nobody@example.com');
    assert.equal(known.status, 200);
    assert.deepEqual(known, unknown);
    assert.deepEqual(knownShouted, unknown);
    assert.equal(await count('SELECT count(*) AS n FROM shoppers'), shoppers, 'asking created no account');
  });

  test("a stranger's email is only a label: both accounts sign in with their own passkeys and see only their own cards", async () => {
    const email = 'shared@example.com';
    const owner = new SoftwareAuthenticator();
    const squatter = new SoftwareAuthenticator();
    const intent = await createIntent(wallet);
    const ownerSession = await registerShopper(wallet, owner, intent.client_secret, email);
    const squatterSession = await registerShopper(wallet, squatter, intent.client_secret, email);
    assert.notEqual(ownerSession.shopper.id, squatterSession.shopper.id);
    assert.equal(squatterSession.shopper.email, email);
    assert.deepEqual(
      await wallet.query('SELECT email, email_verified_at FROM shoppers WHERE email = ? ORDER BY id', [email]),
      [{ email, email_verified_at: null }, { email, email_verified_at: null }],
    );

    const ownerCard = await addCard(wallet, ownerSession.sessionToken, '4242424242424242');
    const squatterCard = await addCard(wallet, squatterSession.sessionToken, '5555555555554444');

    for (const [authenticator, shopperId, cardId] of [
      [owner, ownerSession.shopper.id, ownerCard.id],
      [squatter, squatterSession.shopper.id, squatterCard.id],
    ] as const) {
      const res = await signIn(wallet, authenticator, (await createIntent(wallet)).client_secret);
      assert.equal(res.status, 201, await res.clone().text());
      const session = (await res.json()) as SessionResponse;
      assert.equal(session.shopper.id, shopperId);
      assert.deepEqual(session.cards.map((card) => card.id), [cardId]);
      const list = await wallet.request('GET', '/api/frame/cards', undefined, bearer(session.sessionToken));
      assert.deepEqual((await list.json()).cards.map((card: { id: string }) => card.id), [cardId]);
    }
  });
});

describe('upgrading a database whose shoppers have unique emails (migration 0004)', () => {
  test('keeps every shopper, passkey, session and card; foreign keys still hold; a verified email stays unique', async () => {
    const empty = await createEmptyTestDatabase();
    try {
      const old = openRaw(empty.database, empty.dataDir);
      const { error } = await new Migrator({ db: old, provider: { getMigrations: async () => migrations } }).migrateTo('0003_payment_engine');
      assert.equal(error, undefined);
      const at = '2026-11-01T10:00:00.000Z';
      await old.insertInto('shoppers').values([
        { id: 'shp_a', email: 'a@example.com', user_handle: 'handle_a', created_at: at },
        { id: 'shp_b', email: 'b@example.com', user_handle: 'handle_b', created_at: at },
      ]).execute();
      await old.insertInto('credentials').values({ id: 'cred_a', shopper_id: 'shp_a', public_key: 'pk', counter: 3, transports: '[]', created_at: at, last_used_at: null }).execute();
      await old.insertInto('sessions').values({ token_hash: 'hash_a', shopper_id: 'shp_a', created_at: at, expires_at: at }).execute();
      await old.insertInto('cards').values({
        id: 'card_b', shopper_id: 'shp_b', bank: 'sandbox', bank_token: 'tok', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, created_at: at, deleted_at: null,
      }).execute();
      await old.destroy();

      const db = await openDatabase(empty.database);
      try {
        assert.deepEqual(await db.selectFrom('shoppers').select(['id', 'email', 'user_handle', 'created_at', 'email_verified_at']).orderBy('id').execute(), [
          { id: 'shp_a', email: 'a@example.com', user_handle: 'handle_a', created_at: at, email_verified_at: null },
          { id: 'shp_b', email: 'b@example.com', user_handle: 'handle_b', created_at: at, email_verified_at: null },
        ]);
        assert.deepEqual(await db.selectFrom('credentials').select(['id', 'shopper_id', 'counter']).execute(), [{ id: 'cred_a', shopper_id: 'shp_a', counter: 3 }]);
        assert.deepEqual(await db.selectFrom('sessions').select(['token_hash', 'shopper_id']).execute(), [{ token_hash: 'hash_a', shopper_id: 'shp_a' }]);
        assert.deepEqual(await db.selectFrom('cards').select(['id', 'shopper_id']).execute(), [{ id: 'card_b', shopper_id: 'shp_b' }]);

        // The same email twice is fine now; the same user handle still is not, nor a card of nobody's.
        await db.insertInto('shoppers').values({ id: 'shp_c', email: 'a@example.com', user_handle: 'handle_c', created_at: at, email_verified_at: null }).execute();
        await assert.rejects(
          db.insertInto('shoppers').values({ id: 'shp_d', email: 'd@example.com', user_handle: 'handle_a', created_at: at, email_verified_at: null }).execute(),
          /unique|duplicate/i,
        );
        await assert.rejects(
          db.insertInto('cards').values({ id: 'card_x', shopper_id: 'shp_nobody', bank: 'sandbox', bank_token: 't', brand: 'visa', last4: '1', exp_month: 1, exp_year: 2030, created_at: at, deleted_at: null }).execute(),
          /foreign key/i,
        );
        await assert.rejects(db.deleteFrom('shoppers').where('id', '=', 'shp_a').execute(), /foreign key/i);
        // Verification (to come) proves a mailbox: one account per verified email.
        await db.updateTable('shoppers').set({ email_verified_at: at }).where('id', '=', 'shp_a').execute();
        await assert.rejects(db.updateTable('shoppers').set({ email_verified_at: at }).where('id', '=', 'shp_c').execute(), /unique|duplicate/i);
      } finally {
        await db.destroy();
      }
    } finally {
      await empty.drop();
    }
  });
});

/** A bare connection (no migrations run), with SQLite's foreign keys on as the server has them. */
function openRaw(database: DatabaseConfig, dataDir: string): Kysely<any> {
  if (TEST_ENGINE === 'postgres') return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.databaseUrl, max: 2 }) }) });
  const sqlite = new SQLite(path.join(dataDir, 'paykey.sqlite'));
  sqlite.pragma('foreign_keys = ON');
  return new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
}
