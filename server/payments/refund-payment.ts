import { PaykeyError } from '../errors/paykey-error.ts';
import type { Logger } from '../http/logger.ts';
import type { WalletDb } from '../store/database.ts';
import type { BankOutboxWorker } from './bank-outbox-worker.ts';
import { approvedAccountPaymentOf } from './account-payments.ts';
import { getMerchantPaymentIntent } from './payment-intents.ts';
import { createRefund, findRefund, type Refund } from './refunds.ts';

export interface RefundDeps {
  db: WalletDb;
  now: () => Date;
  logger: Logger;
  outbox: Pick<BankOutboxWorker, 'runNow'>;
  lease: { workerId: string; leaseMs: number };
}

/**
 * Step 1 of a refund, inside the caller's transaction (the one that also
 * stores the idempotent response): the amount (all that is left by default)
 * set aside, the refund recorded `pending`, the bank call queued.
 */
export async function startRefund(
  deps: RefundDeps,
  db: WalletDb,
  input: { merchantId: string; intentId: string; amount?: number },
): Promise<{ refund: Refund; jobId: string }> {
  const intent = await getMerchantPaymentIntent(db, input.merchantId, input.intentId);
  // Paid by bank (Open Banking): the standard has no refund call, so Paykey cannot send one; the merchant refunds
  // such a payment by bank transfer outside Paykey. Refused before anything is reserved or queued.
  if (await approvedAccountPaymentOf(db, intent.id)) {
    throw new PaykeyError('refund_not_supported', 'This payment was made by bank (Open Banking), which has no refunds: refund it by bank transfer outside Paykey');
  }
  const amount = input.amount ?? intent.amount - Number(intent.amount_refunded);
  if (amount <= 0) {
    throw new PaykeyError('amount_too_large', `Nothing is left to refund: ${intent.amount_refunded} of ${intent.amount} is refunded or refunding`);
  }
  return createRefund(db, { intent, amount, now: deps.now(), leaseFor: deps.lease });
}

/**
 * Step 2, once step 1 committed: send it to the bank now under the refund's
 * own reference. Answers with the refund as it stands — `succeeded`, `failed`,
 * or `pending` while the bank's answer is unknown (the outbox settles it and a
 * webhook tells the merchant).
 */
export async function sendRefundNow(deps: RefundDeps, started: { refund: Refund; jobId: string }): Promise<Refund> {
  try {
    await deps.outbox.runNow(started.jobId);
    return (await findRefund(deps.db, started.refund.id)) ?? started.refund;
  } catch (error) {
    deps.logger.error('refund_outcome_pending', { reference: started.refund.reference, error: error instanceof Error ? error.message : String(error) });
    return started.refund;
  }
}
