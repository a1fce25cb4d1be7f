/**
 * Property-based attack on every public JSON endpoint (issue 5, "Guarantees"):
 * at least 10,000 generated bodies — any JSON, JSON-ish text, raw bytes, and
 * bodies of the right shape holding wrong values — sent to the merchant API
 * and the shopper (frame) API, with and without authentication. For every one:
 * never a 5xx, never a reset connection, every 4xx a `{ error: { code, message } }`
 * JSON with a code from the closed set at the status that set gives it, and a
 * 2xx only where a body may legitimately succeed. Afterwards nothing changed:
 * every row of intents, attempts, cards, shoppers, credentials, refunds, outbox
 * jobs and webhook endpoints is as it was, the bank's ledger too; the only new
 * rows are the intents and webhook endpoints the merchant API answered 201 for.
 *
 * Reproduce a run with PAYKEY_PROPERTY_SEED=<seed> (printed on failure by fast-check).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { startSandboxBank, type RunningSandboxBank } from '../../demo/bank/main.ts';
import { addCard, bearer, confirmationOptions, createIntent, inFrame, quoteTerms, registerShopper } from '../support/frame-client.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { startTestWallet, type TestWallet } from '../support/wallet-harness.ts';
import { bankLedger } from './attack-state.ts';
import type { PropertyContext, PropertyResult } from './property-client.ts';

const RUNS_PER_TARGET = Number(process.env.PAYKEY_PROPERTY_RUNS ?? 750);
const SEED = Number(process.env.PAYKEY_PROPERTY_SEED ?? 20261201);
const BANK_KEY = 'bank_sk_property_0123456789';

let bankDir: string;
let bank: RunningSandboxBank;
let wallet: TestWallet;
/** A live intent (no hostile body may move it), one already canceled, one the shopper paid. */
let live: { id: string; client_secret: string };
let quoted: PropertyContext['quoted'];
let canceled: { id: string; client_secret: string };
let paid: { id: string; client_secret: string };
/** A signed-in shopper whose wallet is full (20 cards): a well-formed card is refused, not saved. */
let fullSession: string;
let cardId: string;
let challengeId: string;

before(async () => {
  bankDir = mkdtempSync(path.join(tmpdir(), 'paykey-property-bank-'));
  bank = await startSandboxBank({ port: 0, dataDir: bankDir, apiKey: BANK_KEY });
  wallet = await startTestWallet({ bank: { baseUrl: bank.url, apiKey: BANK_KEY } });
  const authenticator = new SoftwareAuthenticator();
  live = await createIntent(wallet, 1999);
  const shopper = await registerShopper(wallet, authenticator, live.client_secret, 'property@example.com');
  fullSession = shopper.sessionToken;
  for (let i = 0; i < 20; i += 1) cardId = (await addCard(wallet, fullSession)).id;
  canceled = await createIntent(wallet, 2500);
  assert.equal((await wallet.request('POST', `/v1/payment_intents/${canceled.id}/cancel`, undefined, bearer(wallet.secretKey))).status, 200);
  const toQuote = await createIntent(wallet, 2000);
  quoted = { ...toQuote, quoteId: (await quoteTerms(wallet, toQuote.client_secret, cardId, fullSession)).quoteId };
  paid = await createIntent(wallet, 3000);
  const options = await confirmationOptions(wallet, paid.client_secret, cardId, fullSession);
  const pay = await wallet.request('POST', '/api/frame/confirmations', { client_secret: paid.client_secret, challenge_id: options.challengeId, response: authenticator.getAssertion(options.options, inFrame(wallet)) }, bearer(fullSession));
  assert.equal((await pay.json()).status, 'succeeded');
  // A challenge id that exists (open, for the live intent) so generated ceremonies may name a real one.
  challengeId = (await (await wallet.request('POST', '/api/frame/sessions/options', { client_secret: live.client_secret })).json()).challengeId;
});
after(async () => {
  await wallet?.close();
  await bank?.close();
  rmSync(bankDir, { recursive: true, force: true });
});

// ---- State ------------------------------------------------------------------------------------------------------

const TABLES = ['payment_intents', 'payment_attempts', 'cards', 'shoppers', 'credentials', 'refunds', 'bank_jobs', 'webhook_endpoints'] as const;

/** Every row of every table an attacker must not move, by id, plus the bank's ledger. */
async function snapshot() {
  const tables: Record<string, Map<string, string>> = {};
  for (const table of TABLES) {
    const rows = await wallet.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    tables[table] = new Map(rows.map((row) => [String(row.id), JSON.stringify(row)]));
  }
  return { tables, bank: await bankLedger({ url: bank.url, apiKey: BANK_KEY }) };
}

// ---- The property -----------------------------------------------------------------------------------------------

/** Runs property-client.ts in a worker thread (the main thread serves the wallet meanwhile). */
function runClient(context: PropertyContext): Promise<PropertyResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./property-worker.mjs', import.meta.url), { workerData: context });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the property worker exited with ${code}`)));
  });
}

test(`≥ 10,000 generated bodies over 15 endpoints: no 5xx, no reset, coded 4xx, nothing changed`, async () => {
  const before = await snapshot();
  const result = await runClient({
    walletUrl: wallet.url,
    secretKey: wallet.secretKey,
    fullSession,
    cardId,
    challengeId,
    live,
    quoted,
    canceled,
    paid,
    runsPerTarget: RUNS_PER_TARGET,
    seed: SEED,
  });
  assert.deepEqual(result.failures, []);
  assert.equal(result.sent, result.targets * RUNS_PER_TARGET);
  assert.ok(process.env.PAYKEY_PROPERTY_RUNS || result.sent >= 10_000, `sent only ${result.sent} bodies`);

  const afterwards = await snapshot();
  assert.deepEqual(afterwards.bank, before.bank, "the bank's ledger moved");
  for (const table of TABLES) {
    for (const [id, row] of before.tables[table]) assert.equal(afterwards.tables[table].get(id), row, `${table} ${id} changed`);
    const added = afterwards.tables[table].size - before.tables[table].size;
    const accounted =
      table === 'payment_intents' ? result.created['POST /v1/payment_intents'] ?? 0 : table === 'webhook_endpoints' ? result.created['POST /v1/webhook_endpoints'] ?? 0 : 0;
    assert.equal(added, accounted, `${table}: ${added} new rows, ${accounted} answered 201`);
  }
  // The new intents are exactly what a merchant may create: unpaid, nothing attempted.
  for (const [id, row] of afterwards.tables.payment_intents) {
    if (!before.tables.payment_intents.has(id)) assert.equal(JSON.parse(row).status, 'requires_confirmation');
  }
  const unhandled = wallet.logs.filter((line) => JSON.parse(line).event === 'unhandled_error');
  assert.deepEqual(unhandled, []);
  console.log(`# ${result.sent} generated bodies; created by the merchant API: ${JSON.stringify(result.created)}`);
});
