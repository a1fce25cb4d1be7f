/**
 * `npm run reconcile` and the background ledger check: our records against the
 * sandbox bank's ledger, over real HTTP, on the real database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { addCard, bearer, createIntent, pay, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestBank, type TestBank } from '../support/test-bank.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let bank: TestBank;
let wallet: TestWallet;
const started = new Date(Date.now() - 60_000);

before(async () => {
  bank = await startTestBank();
  wallet = await startTestWallet({ bank: bank.config });
  const authenticator = new SoftwareAuthenticator();
  for (let i = 0; i < 3; i += 1) {
    const intent = await createIntent(wallet, 1000 + i);
    const session = await registerShopper(wallet, authenticator, intent.client_secret, `l${i}-${Math.random()}@example.com`);
    const card = await addCard(wallet, session.sessionToken);
    assert.equal((await (await pay(wallet, authenticator, intent.client_secret, card.id, session.sessionToken)).json()).status, 'succeeded');
  }
});
after(async () => {
  await wallet?.close();
  await bank?.close();
});

function reconcile() {
  const database: Record<string, string> = wallet.database.databaseUrl ? { DATABASE_URL: wallet.database.databaseUrl } : { PAYKEY_DATA_DIR: wallet.dataDir };
  return runReconcileCli(['--since', started.toISOString()], { DATABASE_URL: '', ...database, BANK_URL: bank.url, BANK_API_KEY: bank.apiKey });
}

/**
 * Runs the CLI as a child process without blocking this one: the wallet under test lives here, and a blocked event
 * loop would miss the bank closing an idle keep-alive connection (the next fetch then fails with "other side closed").
 */
function runReconcileCli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/reconcile-cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run reconcile', () => {
  test('finds nothing when our records and the bank agree', async () => {
    const result = await reconcile();
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^bank=sandbox since=\S+ charges=3 refunds=0 in_flight=0 mismatches=0$/m);
  });

  test('prints each mismatch and exits 1: a charge we never made, a changed amount', async () => {
    // A charge booked at the bank under a reference we never issued.
    const token = await (
      await fetch(`${bank.url}/v1/tokens`, {
        method: 'POST',
        headers: { ...bearer(bank.apiKey), 'content-type': 'application/json', 'idempotency-key': `t-${Math.random()}` },
        body: JSON.stringify({ number: '4242424242424242', exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123', name: 'X' }),
      })
    ).json();
    const stray = await fetch(`${bank.url}/v1/charges`, {
      method: 'POST',
      headers: { ...bearer(bank.apiKey), 'content-type': 'application/json', 'idempotency-key': 'stray' },
      body: JSON.stringify({ token: token.token, amount: 777, currency: 'USD', reference: 'pi_stray_1' }),
    });
    assert.equal(stray.status, 201);
    // One of our intents now says another amount than the bank charged.
    const [intent] = await wallet.query<{ id: string }>("SELECT id FROM payment_intents WHERE status = 'succeeded' ORDER BY created_at LIMIT 1");
    await wallet.query('UPDATE payment_intents SET amount = 5 WHERE id = ?', [intent.id]);

    const result = await reconcile();
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^mismatch bank=sandbox kind=charge_unknown_to_us reference=pi_stray_1 /m);
    // The bank charged the debit the shopper signed; that debit was signed for 10.00, the intent now says 0.05.
    assert.match(result.stdout, new RegExp(`^mismatch bank=sandbox kind=charge_amount reference=${intent.id}_1 the debit was signed for 1000 USD; the payment is 5 USD`, 'm'));
    assert.match(result.stdout, /mismatches=2$/m);

    // The background check reports the same, as alerts.
    await wallet.server.runWorkersNow();
    const alerts = wallet.logs.filter((line) => line.includes('"event":"ledger_mismatch"'));
    assert.ok(alerts.some((line) => line.includes('charge_unknown_to_us') && line.includes('"alert":true')), alerts.join('\n'));
    assert.ok(alerts.some((line) => line.includes('charge_amount')), alerts.join('\n'));
  });

  test('a bad --since is one line and exit 2', async () => {
    const result = await runReconcileCli(['--since', 'yesterday-ish']);
    assert.equal(result.status, 2);
    assert.match(result.stderr.trim(), /^--since: expected an ISO 8601 time or an age like 24h, received "yesterday-ish"$/);
  });
});
