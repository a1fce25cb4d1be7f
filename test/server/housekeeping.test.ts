/**
 * Rows that only ever expire (WebAuthn challenges, shopper sessions,
 * idempotency keys) are deleted by the reconciler's housekeeping, against the
 * injected clock, and nothing that is still live goes with them. Housekeeping
 * also releases card tokens at the bank that are due (real sandbox bank process). A pass deletes any number of
 * expired rows, in batches (plans and batch sizes: housekeeping-indexes.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SESSION_TTL_MS } from '../../server/shoppers/sessions.ts';
import { HOUSEKEEPING_BATCH } from '../../server/store/delete-in-batches.ts';
import { CHALLENGE_TTL_MS } from '../../server/webauthn/challenges.ts';
import { chargeAtBank } from '../support/charge-at-bank.ts';
import { addCard, bearer, createIntent, expectError, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let bank: TestBank;
let wallet: TestWallet;
before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config });
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

const count = async (table: string) => Number((await wallet.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe('housekeeping', () => {
  test('deletes expired challenges and sessions, keeps live ones', async () => {
    const intent = await createIntent(wallet);
    const old = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'old@example.com');
    const optionsRes = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    assert.equal(optionsRes.status, 200);
    assert.equal(await count('sessions'), 1);
    assert.equal(await count('webauthn_challenges'), 2); // the registration's (used) and the sign-in's (unused)

    // Nothing has expired yet: a pass deletes nothing.
    await wallet.server.runWorkersNow();
    assert.equal(await count('sessions'), 1);
    assert.equal(await count('webauthn_challenges'), 2);

    // Past the challenges' lifetime, not the session's.
    wallet.clock.advance(CHALLENGE_TTL_MS + 1);
    const fresh = await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    const { challengeId } = await fresh.json();
    await wallet.server.runWorkersNow();
    assert.deepEqual(await wallet.query('SELECT id FROM webauthn_challenges'), [{ id: challengeId }]);
    assert.equal(await count('sessions'), 1);
    assert.equal((await wallet.request('GET', '/api/frame/cards', undefined, bearer(old.sessionToken))).status, 200);

    // Past the session's lifetime too: the session goes, and the token is simply unknown.
    wallet.clock.advance(SESSION_TTL_MS);
    const newer = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'new@example.com');
    await wallet.server.runWorkersNow();
    assert.equal(await count('sessions'), 1);
    await expectError(await wallet.request('GET', '/api/frame/cards', undefined, bearer(old.sessionToken)), 401, 'session_invalid');
    assert.equal((await wallet.request('GET', '/api/frame/cards', undefined, bearer(newer.sessionToken))).status, 200);
    assert.equal(await count('webauthn_challenges'), 1, 'only the newest registration challenge is still within its lifetime');
  });

  test('a pass deletes more expired rows than one batch holds, and keeps the live ones', async () => {
    // Rate-limit windows: 1,200 that ended (one exactly now), 3 that have not; well over HOUSEKEEPING_BATCH (500).
    const now = wallet.clock.now().getTime();
    const rows = [
      ...Array.from({ length: 1200 }, (_, i) => [`hk_old_${i}`, new Date(now - i * 1000).toISOString()]),
      ...Array.from({ length: 3 }, (_, i) => [`hk_live_${i}`, new Date(now + (i + 1) * 1000).toISOString()]),
    ];
    await wallet.query(
      `INSERT INTO rate_limit_windows (bucket, window_start, hits, previous_hits, expires_at) VALUES ${rows.map(() => '(?, ?, 1, 0, ?)').join(', ')}`,
      rows.flatMap(([bucket, expiresAt]) => [bucket, expiresAt, expiresAt]),
    );
    assert.ok(HOUSEKEEPING_BATCH < 1200);
    await wallet.server.runWorkersNow();
    assert.equal(await count("rate_limit_windows WHERE bucket LIKE 'hk_old_%'"), 0);
    assert.deepEqual((await wallet.query<{ bucket: string }>("SELECT bucket FROM rate_limit_windows WHERE bucket LIKE 'hk_%' ORDER BY bucket")).map((r) => r.bucket), ['hk_live_0', 'hk_live_1', 'hk_live_2']);
  });

  test('a pass that fails at one step still runs the others', async () => {
    const intent = await createIntent(wallet);
    await wallet.request('POST', '/api/frame/sessions/options', { client_secret: intent.client_secret });
    wallet.clock.advance(CHALLENGE_TTL_MS + 1);
    // Break one step: the sessions table is not where the pruning looks for it.
    await wallet.query('ALTER TABLE sessions RENAME TO sessions_away');
    try {
      await wallet.server.runWorkersNow();
    } finally {
      await wallet.query('ALTER TABLE sessions_away RENAME TO sessions');
    }
    assert.equal(await count('webauthn_challenges'), 0);
    assert.ok(wallet.logs.some((line) => line.includes('periodic_task_failed') && line.includes('prune_sessions')));
});

  test('releases due card tokens at the bank; cards of a bank no longer configured wait without holding up the others', async () => {
    const intent = await createIntent(wallet);
    const shopper = await registerShopper(wallet, new SoftwareAuthenticator(), intent.client_secret, 'tokens@example.com');
    // More removed cards of a bank that is gone than one pass releases, all older than the one that is due.
    const long = '2026-01-01T00:00:00.000Z';
    for (let i = 0; i < 120; i++) {
      await wallet.query(
        'INSERT INTO cards (id, shopper_id, bank, bank_token, brand, last4, exp_month, exp_year, created_at, deleted_at, saved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [`card_gone_${i}`, shopper.shopper.id, 'gone', `tok_gone_${i}`, 'visa', '4242', 12, 2030, long, long, 1],
      );
    }
    const once = await addCard(wallet, shopper.sessionToken, '4242424242424242', false);
    await wallet.server.runWorkersNow();
    assert.equal((await chargeAtBank({ url: bank.url, apiKey: bank.apiKey }, once.bankToken, 'USD')).body.status, 'approved', 'not due yet');

    wallet.clock.advance(SESSION_TTL_MS + 1);
    await wallet.server.runWorkersNow();
    assert.equal((await chargeAtBank({ url: bank.url, apiKey: bank.apiKey }, once.bankToken, 'USD')).body.status, 'declined', 'released at the bank');
    assert.equal(await count("cards WHERE bank = 'gone' AND released_at IS NULL"), 120, 'waiting for their bank');
    assert.ok(!wallet.logs.some((line) => line.includes('periodic_task_failed') && line.includes('release_card_tokens')));
  });
});
