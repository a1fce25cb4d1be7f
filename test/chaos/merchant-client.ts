/**
 * What the merchant's server does: create a payment intent (with an
 * Idempotency-Key, retried with the same key when the answer is lost) and
 * read it back. Both retry until they get an answer, like a merchant would.
 */
import { describeResult, isRetryable, sleep } from './http-json.ts';
import type { WalletCluster } from './wallet-cluster.ts';

export interface IntentJson {
  id: string;
  status: string;
  amount: number;
  currency: string;
  client_secret?: string;
  last_error: { code: string; message: string } | null;
}

export interface NewIntent {
  amount: number;
  currency: string;
  description: string;
  reference: string;
}

/** Retries lost answers, 5xx and `409 idempotency_key_in_use` with the same key; gives up (throws) only after `deadline`. */
export async function createIntent(
  wallet: WalletCluster,
  intent: NewIntent,
  idempotencyKey: string,
  deadline: number,
  note: (text: string) => void = () => {},
): Promise<IntentJson> {
  const seen = new Set<string>();
  for (let tries = 1; ; tries++) {
    const result = await wallet.request('/v1/payment_intents', {
      method: 'POST',
      body: intent,
      headers: { authorization: `Bearer ${wallet.secretKey}`, 'idempotency-key': idempotencyKey },
    });
    if (result.status === 201 || result.status === 200) return result.body as IntentJson;
    // The first request with this key is still running, or died holding it (a killed server): ask again shortly.
    const keyBusy = result.status === 409 && result.body?.error?.code === 'idempotency_key_in_use';
    if (!(isRetryable(result) || keyBusy) || Date.now() > deadline) {
      throw new Error(`POST /v1/payment_intents (try ${tries}): ${describeResult(result)} ${JSON.stringify(result.body ?? '')}`);
    }
    const what = describeResult(result);
    if (!seen.has(what)) {
      seen.add(what);
      note(`create (try ${tries}) on wallet ${result.instance}: ${what}; retrying with the same key`);
    }
    await sleep(Math.min(100 * tries, 1_000));
  }
}

export async function getIntent(wallet: WalletCluster, id: string, deadline = Date.now() + 60_000): Promise<IntentJson> {
  for (let tries = 1; ; tries++) {
    const result = await wallet.request(`/v1/payment_intents/${id}`, { headers: { authorization: `Bearer ${wallet.secretKey}` } });
    if (result.status === 200) return result.body as IntentJson;
    if (!isRetryable(result) || Date.now() > deadline) {
      throw new Error(`GET /v1/payment_intents/${id} (try ${tries}): ${describeResult(result)} ${JSON.stringify(result.body ?? '')}`);
    }
    await sleep(Math.min(100 * tries, 1_000));
  }
}
