/**
 * What an attack must leave untouched, read straight from the wallet's
 * database and the sandbox bank's ledger: snapshot before, snapshot after,
 * `assert.deepEqual`.
 */
import assert from 'node:assert/strict';
import type { TestWallet } from '../support/wallet-harness.ts';

export interface BankLedger {
  url: string;
  apiKey: string;
}

/** Every charge and refund the bank ever booked (listing by `created_since`, all pages). */
export async function bankLedger(bank: BankLedger): Promise<{ charges: number; refunds: number }> {
  const count = async (kind: 'charges' | 'refunds') => {
    let total = 0;
    let after = '';
    for (;;) {
      const res = await fetch(`${bank.url}/v1/${kind}?created_since=2000-01-01T00:00:00.000Z&limit=500${after}`, {
        headers: { authorization: `Bearer ${bank.apiKey}` },
      });
      assert.equal(res.status, 200, `the bank's ${kind} listing answered ${res.status}`);
      const page = (await res.json()) as { data: Array<{ id: string }>; has_more: boolean };
      total += page.data.length;
      if (!page.has_more) return total;
      after = `&starting_after=${encodeURIComponent(page.data.at(-1)!.id)}`;
    }
  };
  return { charges: await count('charges'), refunds: await count('refunds') };
}

/** One payment as an attacker could move it: the intent, its attempts and outbox jobs, the shopper's passkey counter and cards, the bank. */
export async function paymentState(wallet: TestWallet, bank: BankLedger, ids: { intentId: string; shopperId: string }) {
  const one = async <T>(sql: string, params: unknown[]) => (await wallet.query<T>(sql, params))[0];
  const n = async (sql: string, params: unknown[]) => Number((await one<{ n: number }>(sql, params)).n);
  return {
    intent: await one<Record<string, unknown>>(
      'SELECT status, amount, currency, amount_refunded, last_error_code FROM payment_intents WHERE id = ?',
      [ids.intentId],
    ),
    attempts: await n('SELECT count(*) AS n FROM payment_attempts WHERE intent_id = ?', [ids.intentId]),
    bankJobs: await n('SELECT count(*) AS n FROM bank_jobs', []),
    counters: (await wallet.query<{ id: string; counter: number }>('SELECT id, counter FROM credentials WHERE shopper_id = ? ORDER BY id', [ids.shopperId])).map(
      (row) => `${row.id}:${Number(row.counter)}`,
    ),
    cards: await n('SELECT count(*) AS n FROM cards WHERE shopper_id = ? AND deleted_at IS NULL', [ids.shopperId]),
    bank: await bankLedger(bank),
  };
}

export type PaymentState = Awaited<ReturnType<typeof paymentState>>;

/** An error answer with exactly this status and code. */
export async function expectRefusal(res: Response, status: number, code: string, label = ''): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, status, `${label}: expected ${status} ${code}, got ${res.status} ${text}`);
  assert.equal(JSON.parse(text).error?.code, code, `${label}: ${text}`);
}
