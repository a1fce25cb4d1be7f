/**
 * One payment, end to end over HTTP, as the merchant and the shopper would do
 * it: the merchant creates the intent (once: retries reuse its Idempotency-Key),
 * the shopper's frame asks for a challenge and confirms with a passkey
 * assertion. When an answer is lost (a killed server, a 5xx) the shopper looks
 * at the payment again: `requires_confirmation` → pay again; `processing` →
 * wait; `failed` after a decline → their other card, once.
 */
import { describeResult, isRetryable, sleep } from './http-json.ts';
import { createIntent, getIntent } from './merchant-client.ts';
import type { Shopper, ShopperCard } from './shopper-pool.ts';
import type { WalletCluster } from './wallet-cluster.ts';

export type FinalStatus = 'succeeded' | 'failed' | 'canceled';

export interface PaymentRecord {
  n: number;
  amount: number;
  currency: string;
  shopper: string;
  startedAt: number;
  intentId?: string;
  /** When the driver saw the final status (ms since epoch). */
  finalAt?: number;
  final?: FinalStatus;
  /** Why the driver stopped without a final status. */
  gaveUp?: string;
  confirmsSent: number;
  /** What happened, briefly (for the report of an offending payment). */
  notes: string[];
}

export interface DriverContext {
  wallet: WalletCluster;
  /** Idempotency keys are `<prefix>-<n>`. */
  keyPrefix: string;
  paymentTimeoutMs: number;
  /** A deadline for everyone (the end of the settle phase); Infinity before it is set. */
  hardDeadline(): number;
}

/** Times the shopper presses Pay again on a card after a lost answer left the payment `failed`. */
const BLIND_RETRIES_PER_CARD = 3;
const MAX_CONFIRMS = 30;
const POLL_MS = 200;

export async function drivePayment(ctx: DriverContext, record: PaymentRecord, shopper: Shopper): Promise<void> {
  const deadline = () => Math.min(record.startedAt + ctx.paymentTimeoutMs, ctx.hardDeadline());
  const note = (text: string) => {
    if (record.notes.length < 40) record.notes.push(`+${Date.now() - record.startedAt}ms ${text}`);
  };
  const finish = (status: FinalStatus) => {
    record.final = status;
    record.finalAt = Date.now();
    note(`final ${status}`);
  };

  let intent;
  try {
    intent = await createIntent(
      ctx.wallet,
      { amount: record.amount, currency: record.currency, description: `chaos payment ${record.n}`, reference: `order-${record.n}` },
      `${ctx.keyPrefix}-${record.n}`,
      deadline(),
      note,
    );
  } catch (error) {
    record.gaveUp = (error as Error).message;
    return;
  }
  record.intentId = intent.id;
  note(`created ${intent.id}`);
  const clientSecret = intent.client_secret;
  if (!clientSecret) {
    record.gaveUp = 'the intent came back without a client_secret (a replayed create?), so the shopper cannot pay';
    return;
  }

  let status = intent.status;
  let card = 0;
  /** This card's attempt is known to have reached the bank step (a confirm answered, or we saw `processing`). */
  let started = false;
  let blind = 0;
  for (;;) {
    if (Date.now() > deadline()) {
      record.gaveUp = `still ${status} at its deadline`;
      note(record.gaveUp);
      return;
    }
    if (status === 'succeeded' || status === 'canceled') return finish(status);
    if (status === 'processing' || status === 'requires_review') {
      started = true;
      await sleep(POLL_MS);
      status = await statusOf(ctx, record, deadline());
      continue;
    }
    if (status === 'failed') {
      if (started || blind >= BLIND_RETRIES_PER_CARD) {
        card += 1;
        started = false;
        blind = 0;
      } else {
        blind += 1;
      }
      if (card >= shopper.cards.length) return finish('failed');
    }
    if (record.confirmsSent >= MAX_CONFIRMS) {
      record.gaveUp = `gave up after ${MAX_CONFIRMS} confirmations (last status ${status})`;
      note(record.gaveUp);
      return;
    }
    const outcome = await confirm(ctx, record, shopper, clientSecret, shopper.cards[card], note);
    if (outcome.started) started = true;
    status = outcome.status ?? (await statusOf(ctx, record, deadline()));
  }
}

async function statusOf(ctx: DriverContext, record: PaymentRecord, deadline: number): Promise<string> {
  try {
    return (await getIntent(ctx.wallet, record.intentId!, deadline)).status;
  } catch {
    return 'unknown';
  }
}

/** Pay: the card's terms, a challenge bound to them, a passkey assertion over it, the confirmation. */
async function confirm(
  ctx: DriverContext,
  record: PaymentRecord,
  shopper: Shopper,
  clientSecret: string,
  card: ShopperCard,
  note: (text: string) => void,
): Promise<{ started: boolean; status?: string }> {
  const { wallet } = ctx;
  const cardName = card.approves ? 'approve card' : 'decline card';
  // The terms first (fee, rate, debit), as the confirm screen shows them; the challenge binds their quote.
  const quote = await wallet.request('/api/frame/quotes', { method: 'POST', body: { client_secret: clientSecret, card_id: card.id } });
  if (quote.status !== 200) {
    note(`quote (${cardName}) on wallet ${quote.instance}: ${describeResult(quote)}`);
    if (!isRetryable(quote)) await sleep(POLL_MS);
    return { started: false };
  }
  const options = await wallet.request('/api/frame/confirmations/options', {
    method: 'POST',
    body: { client_secret: clientSecret, card_id: card.id, quote_id: quote.body.terms.quoteId },
  });
  if (options.status !== 200) {
    note(`options (${cardName}) on wallet ${options.instance}: ${describeResult(options)}`);
    if (!isRetryable(options)) await sleep(POLL_MS);
    return { started: false };
  }
  const response = shopper.authenticator.getAssertion(options.body.options, {
    origin: wallet.publicOrigin,
    topOrigin: wallet.merchantOrigin,
  });
  record.confirmsSent += 1;
  const result = await wallet.request('/api/frame/confirmations', {
    method: 'POST',
    body: { client_secret: clientSecret, challenge_id: options.body.challengeId, response },
    timeoutMs: 30_000,
  });
  if (result.status === 200) {
    note(`confirm (${cardName}) on wallet ${result.instance}: ${result.body.status}${result.body.lastError ? ` ${result.body.lastError.code}` : ''}`);
    return { started: true, status: result.body.status };
  }
  note(`confirm (${cardName}) on wallet ${result.instance}: ${describeResult(result)}`);
  if (!isRetryable(result)) await sleep(POLL_MS);
  return { started: false };
}
