/**
 * A charge sent straight to a demo card bank's own API (not through the wallet), to see what the bank does with a
 * token: a live one is charged, a released one declined, one the bank never issued unknown (404).
 */
import { randomUUID } from 'node:crypto';

export interface BankCharge {
  status: number;
  body: { status?: string; decline_code?: string | null; error?: { code: string } };
}

export async function chargeAtBank(bank: { url: string; apiKey: string }, token: string, currency: string, amount = 100): Promise<BankCharge> {
  const res = await fetch(new URL('/v1/charges', bank.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${bank.apiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ token, amount, currency, reference: `direct_${randomUUID()}` }),
  });
  return { status: res.status, body: await res.json() };
}
