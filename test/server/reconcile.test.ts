import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { BankTransportError, type BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { createBankRegistry } from '../../server/adapters/registry.ts';
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { addCard, bearer, createIntent, getIntent, pay, registerShopper } from '../support/frame-client.ts';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

/**
 * How the bank link misbehaves: `lose-charge-answer` lets the charge reach the
 * bank and then loses the answer; `down` never reaches the bank; `lookup-down`
 * breaks lookups and loses charge answers; `only-lookup-down` breaks lookups alone.
 */
type LinkMode = 'ok' | 'lose-charge-answer' | 'down' | 'lookup-down' | 'only-lookup-down';

let bankDir: string;
let bank: SpawnedSandboxBank;
let wallet: TestWallet;
let mode: LinkMode = 'ok';
let chargeCalls = 0;

before(async () => {
  bankDir = mkdtempSync(path.join(tmpdir(), 'paykey-bank-'));
  bank = await spawnSandboxBank({ dataDir: bankDir });
  const real = createSandboxBankAdapter({ baseUrl: bank.url, apiKey: bank.apiKey });
  const flaky: BankAdapter = {
    id: real.id,
    brand: () => real.brand(),
    tokenizeCard: (card, key) => real.tokenizeCard(card, key),
    refund: (request) => real.refund(request),
    async charge(request) {
      chargeCalls += 1;
      if (mode === 'down') throw new BankTransportError('connection refused (test)');
      const result = await real.charge(request);
      if (mode === 'lose-charge-answer' || mode === 'lookup-down') throw new BankTransportError('connection reset (test)');
      return result;
    },
    async lookupCharge(reference) {
      if (mode === 'down' || mode === 'lookup-down' || mode === 'only-lookup-down') throw new BankTransportError('connection refused (test)');
      return real.lookupCharge(reference);
    },
  };
  wallet = await startTestWallet({ banks: createBankRegistry([flaky]), reconcile: { graceMs: 30_000 } });
});
after(async () => {
  await wallet?.close();
  await bank?.stop();
  rmSync(bankDir, { recursive: true, force: true });
});
beforeEach(() => {
  mode = 'ok';
  chargeCalls = 0;
});

async function ledger(reference: string): Promise<unknown[]> {
  const res = await fetch(`${bank.url}/v1/charges?reference=${encodeURIComponent(reference)}`, { headers: bearer(bank.apiKey) });
  return (await res.json()).data;
}

async function payingShopper() {
  const authenticator = new SoftwareAuthenticator();
  const intent = await createIntent(wallet);
  const session = await registerShopper(wallet, authenticator, intent.client_secret, `r${Math.random()}@example.com`);
  const card = await addCard(wallet, session.sessionToken);
  return { authenticator, intent, session, card };
}

describe('a lost bank answer', () => {
  test('is resolved at once by looking the charge up by reference', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'lose-charge-answer';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'succeeded');
    assert.equal(chargeCalls, 1);
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
  });

  test('stays processing while unknown, then the reconciler records what the bank did', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'lookup-down';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'processing');
    assert.equal((await getIntent(wallet, intent.id)).status, 'processing');
    // A processing intent cannot be confirmed again.
    const again = await wallet.request('POST', '/api/frame/confirmations/options', { client_secret: intent.client_secret, card_id: card.id });
    assert.equal(again.status, 409);

    mode = 'ok';
    await wallet.server.reconcileNow();
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    assert.equal(chargeCalls, 1, 'the reconciler found the charge; it must not send it again');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
  });

  test('a charge the bank never saw is re-sent after the grace period with the same reference, once', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'down';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'processing');
    const attempt = wallet.sql.prepare('SELECT reference, idempotency_key FROM payment_attempts WHERE intent_id = ?').get(intent.id) as {
      reference: string;
      idempotency_key: string;
    };
    assert.equal(attempt.reference, `${intent.id}_1`);

    mode = 'ok';
    await wallet.server.reconcileNow();
    assert.equal((await getIntent(wallet, intent.id)).status, 'processing', 'within the grace period nothing is re-sent');
    assert.deepEqual(await ledger(`${intent.id}_1`), []);

    wallet.clock.advance(31_000);
    await wallet.server.reconcileNow();
    await wallet.server.reconcileNow();
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
    const after = wallet.sql.prepare('SELECT reference, idempotency_key, status FROM payment_attempts WHERE intent_id = ?').all(intent.id);
    assert.deepEqual(after, [{ ...attempt, status: 'approved' }]);
  });
});

describe('the reconciler', () => {
  test('sends nothing again while it cannot ask the bank: "no answer" is not "never seen"', async () => {
    const { authenticator, intent, session, card } = await payingShopper();
    mode = 'down';
    const res = await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken);
    assert.equal((await res.json()).status, 'processing');
    assert.equal(chargeCalls, 1);

    // Past the grace period, the bank takes charges but cannot answer lookups.
    wallet.clock.advance(31_000);
    mode = 'only-lookup-down';
    await wallet.server.reconcileNow();
    assert.equal(chargeCalls, 1, 'a charge was re-sent without asking the bank first');
    assert.equal((await getIntent(wallet, intent.id)).status, 'processing');

    // Once the bank says it never saw the charge, the same charge is sent.
    mode = 'ok';
    await wallet.server.reconcileNow();
    assert.equal(chargeCalls, 2);
    assert.equal((await getIntent(wallet, intent.id)).status, 'succeeded');
    assert.equal((await ledger(`${intent.id}_1`)).length, 1);
  });

  test('one attempt it cannot settle does not hold up the others', async () => {
    // First in line: an attempt whose card's bank is no longer configured.
    const stuck = await payingShopper();
    mode = 'down';
    await pay(wallet, stuck.authenticator, stuck.intent.client_secret, stuck.card.id, stuck.session.sessionToken);
    wallet.sql.prepare("UPDATE cards SET bank = 'retired-bank' WHERE id = ?").run(stuck.card.id);
    // Behind it: an ordinary lost answer.
    const fine = await payingShopper();
    mode = 'lookup-down';
    await pay(wallet, fine.authenticator, fine.intent.client_secret, fine.card.id, fine.session.sessionToken);
    wallet.clock.advance(1_000);

    mode = 'ok';
    await wallet.server.reconcileNow();
    assert.equal((await getIntent(wallet, fine.intent.id)).status, 'succeeded');
    assert.equal((await getIntent(wallet, stuck.intent.id)).status, 'processing');
    assert.ok(wallet.logs.some((line) => line.includes('reconcile_attempt_failed') && line.includes(`${stuck.intent.id}_1`)));
    // Do not leave it for the next tests' reconciliations.
    wallet.sql.prepare("UPDATE payment_attempts SET status = 'declined' WHERE intent_id = ?").run(stuck.intent.id);
  });
});
