/**
 * The confirmation benchmark every server part runs (SQLite, with history, on PostgreSQL): intents are created before
 * the timed part (that phase is the intent-creation rate), a warm-up pays some of them, then each shopper pays one
 * intent after another, all shoppers at once, and every full payment is timed.
 */
import type { PaymentRecord } from '../chaos/payment-driver.ts';
import { describeResult, httpJson } from '../chaos/http-json.ts';
import { payIntent } from './load-payment.ts';
import { percentileOf, runLoad } from './load-run.ts';
import type { BenchShopper } from './load-shoppers.ts';
import type { BenchStack } from './server-stack.ts';

export interface ConfirmRunOptions {
  /** Timed payments. */
  payments: number;
  /** Payments before the timed ones (JIT, caches, connection pools). */
  warmup: number;
  runId: string;
  /** Called right before the timed payments start and right after they end (CPU and lock sampling). */
  onMeasuredStart?: () => void;
  onMeasuredEnd?: () => void;
}

export interface ConfirmRun {
  confirmPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Intents created per second (the timed ones), all shoppers' worth of concurrency. */
  createPerS: number;
  /** Every payment made (warm-up and timed), for the ledger check. */
  records: PaymentRecord[];
  /** ISO time a little before the first charge: where the bank's listing starts. */
  chargesSince: string;
}

interface CreatedIntent {
  id: string;
  clientSecret: string;
  amount: number;
}

export async function runConfirmations(stack: BenchStack, shoppers: BenchShopper[], options: ConfirmRunOptions): Promise<ConfirmRun> {
  const concurrency = shoppers.length;
  const total = options.warmup + options.payments;
  const intents: CreatedIntent[] = new Array(total);
  const create = async (n: number) => {
    intents[n] = await createIntent(stack, stack.walletUrls[n % stack.walletUrls.length], n, `${options.runId}-${n}`);
  };
  await runLoad(concurrency, options.warmup, (n) => create(n));
  const created = await runLoad(concurrency, options.payments, (n) => create(options.warmup + n));

  const chargesSince = new Date(Date.now() - 5_000).toISOString();
  const records: PaymentRecord[] = [];
  const pay = async (n: number, worker: number) => {
    const shopper = shoppers[worker];
    const intent = intents[n];
    const record: PaymentRecord = { n, amount: intent.amount, currency: 'USD', shopper: shopper.email, startedAt: Date.now(), intentId: intent.id, confirmsSent: 1, notes: [] };
    records.push(record);
    await payIntent(shopper, intent.clientSecret, stack);
    record.final = 'succeeded';
    record.finalAt = Date.now();
  };
  await runLoad(concurrency, options.warmup, pay);
  options.onMeasuredStart?.();
  const measured = await runLoad(concurrency, options.payments, (n, worker) => pay(options.warmup + n, worker));
  options.onMeasuredEnd?.();
  return {
    confirmPerS: measured.perS,
    p50Ms: percentileOf(measured.latencies, 50),
    p99Ms: percentileOf(measured.latencies, 99),
    createPerS: created.perS,
    records,
    chargesSince,
  };
}

/** `POST /v1/payment_intents` with the secret key and an Idempotency-Key, as the README documents for merchants. */
async function createIntent(stack: BenchStack, walletUrl: string, n: number, idempotencyKey: string): Promise<CreatedIntent> {
  // Amounts vary so a charge booked for the wrong intent shows up in the ledger check.
  const amount = 1_000 + (n % 9_000);
  const result = await httpJson(`${walletUrl}/v1/payment_intents`, {
    method: 'POST',
    body: { amount, currency: 'USD', description: `bench payment ${n}`, reference: `order-${n}` },
    headers: { authorization: `Bearer ${stack.secretKey}`, 'idempotency-key': idempotencyKey },
  });
  if (result.status !== 201 || typeof result.body?.client_secret !== 'string') {
    throw new Error(`bench: POST /v1/payment_intents: expected 201 with a client_secret, received ${describeResult(result)} ${JSON.stringify(result.body ?? '')}`);
  }
  return { id: result.body.id, clientSecret: result.body.client_secret, amount };
}

/** GETs of a path no route serves, at the same concurrency: the server's floor for one request. */
export async function runNotFound(walletUrl: string, requests: number, concurrency: number): Promise<number> {
  const run = await runLoad(concurrency, requests, async (n) => {
    const result = await httpJson(`${walletUrl}/bench-no-such-path/${n}`);
    if (result.status !== 404) throw new Error(`bench: GET of a path that does not exist: expected 404, received ${describeResult(result)}`);
  });
  return run.perS;
}
