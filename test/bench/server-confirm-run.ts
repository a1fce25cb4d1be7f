/**
 * The confirmation benchmark every server part runs (SQLite, with history, on PostgreSQL), in steps the caller can
 * interleave with other measurements (so slow changes in the machine's load hit both sides of a ratio alike):
 * intents are created ahead (timed: that is the intent-creation rate), then paid by the shoppers, all at once, one
 * payment after another each, every full payment timed.
 */
import type { PaymentRecord } from '../chaos/payment-driver.ts';
import { describeResult, httpJson } from '../chaos/http-json.ts';
import { payIntent } from './load-payment.ts';
import { percentileOf, runLoad, type LoadResult } from './load-run.ts';
import type { BenchShopper } from './load-shoppers.ts';
import type { BenchStack } from './server-stack.ts';

export interface ConfirmRunner {
  /** Creates `count` intents for later payments (spread over the instances), all shoppers' worth of concurrency. */
  createIntents(count: number): Promise<LoadResult>;
  /** Pays `count` of the created intents, each shopper one at a time; throws unless each answered succeeded. */
  pay(count: number): Promise<LoadResult>;
  /** Every payment made, for the ledger check. */
  records: PaymentRecord[];
  /** ISO time a little before the first charge: where the bank's listing starts. */
  chargesSince: string;
  /** Payments the wallet answered `processing` (its bank timeout passed) and that settled later. */
  readonly settledLater: number;
}

interface CreatedIntent {
  id: string;
  clientSecret: string;
  amount: number;
}

export function createConfirmRunner(stack: BenchStack, shoppers: BenchShopper[], runId: string): ConfirmRunner {
  const concurrency = shoppers.length;
  const unpaid: CreatedIntent[] = [];
  const records: PaymentRecord[] = [];
  let created = 0;
  let paid = 0;
  let settledLater = 0;
  return {
    records,
    get settledLater() {
      return settledLater;
    },
    chargesSince: new Date(Date.now() - 5_000).toISOString(),
    async createIntents(count) {
      const first = created;
      created += count;
      const batch: CreatedIntent[] = new Array(count);
      const result = await runLoad(concurrency, count, async (i) => {
        const n = first + i;
        batch[i] = await createIntent(stack, stack.walletUrls[n % stack.walletUrls.length], n, `${runId}-${n}`);
      });
      unpaid.push(...batch);
      return result;
    },
    async pay(count) {
      if (count > unpaid.length) throw new Error(`bench: expected ${count} created intents to pay, ${unpaid.length} are left`);
      const batch = unpaid.splice(0, count);
      const first = paid;
      paid += count;
      return runLoad(concurrency, count, async (i, worker) => {
        const shopper = shoppers[worker];
        const intent = batch[i];
        const record: PaymentRecord = {
          n: first + i,
          amount: intent.amount,
          currency: 'USD',
          shopper: shopper.email,
          startedAt: Date.now(),
          intentId: intent.id,
          confirmsSent: 1,
          notes: [],
        };
        records.push(record);
        if ((await payIntent(shopper, intent.clientSecret, stack)) === 'poll') settledLater += 1;
        record.final = 'succeeded';
        record.finalAt = Date.now();
      });
    },
  };
}

/** Several timed rounds as one: jobs over the summed time, percentiles over every job. */
export function combineRounds(rounds: LoadResult[]): { perS: number; p50Ms: number; p99Ms: number; jobs: number } {
  const jobs = rounds.reduce((sum, r) => sum + r.jobs, 0);
  const elapsedMs = rounds.reduce((sum, r) => sum + r.elapsedMs, 0);
  const latencies = rounds.flatMap((r) => r.latencies);
  return { jobs, perS: (jobs * 1000) / elapsedMs, p50Ms: percentileOf(latencies, 50), p99Ms: percentileOf(latencies, 99) };
}

/** `POST /v1/payment_intents` with the secret key and an Idempotency-Key, as the README documents for merchants. */
export async function createIntent(stack: BenchStack, walletUrl: string, n: number, idempotencyKey: string): Promise<CreatedIntent> {
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
export function runNotFound(walletUrl: string, requests: number, concurrency: number): Promise<LoadResult> {
  return runLoad(concurrency, requests, async (n) => {
    const result = await httpJson(`${walletUrl}/bench-no-such-path/${n}`);
    if (result.status !== 404) throw new Error(`bench: GET of a path that does not exist: expected 404, received ${describeResult(result)}`);
  });
}

/** `total` split into `rounds` whole parts (the first ones one larger when it does not divide). */
export function splitIntoRounds(total: number, rounds: number): number[] {
  return Array.from({ length: rounds }, (_, i) => Math.floor(total / rounds) + (i < total % rounds ? 1 : 0));
}
