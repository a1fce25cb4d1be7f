/**
 * Rows that only ever expire (WebAuthn challenges, shopper sessions,
 * idempotency keys) are deleted by the reconciler's housekeeping, against the
 * injected clock, and nothing that is still live goes with them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SESSION_TTL_MS } from '../../server/shoppers/sessions.ts';
import { CHALLENGE_TTL_MS } from '../../server/webauthn/challenges.ts';
import { bearer, createIntent, expectError, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

let wallet: TestWallet;
before(async () => {
  wallet = await startTestWallet();
});
after(() => wallet.close());

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
});
