import { PaykeyError } from '../errors/paykey-error.ts';
import { inTransaction, type WalletDb } from '../store/database.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue-webhook-event.ts';
import { findPaymentIntent, getMerchantPaymentIntent, moveIntent, toPaymentIntentJson, type PaymentIntent } from './payment-intents.ts';

/**
 * Cancels an intent nothing was charged for (`requires_confirmation`, or
 * `failed` after declines), with its webhook event, in one transaction. A
 * confirmation racing it either moved the intent first (then this is a 409)
 * or finds it canceled.
 */
export async function cancelPaymentIntent(db: WalletDb, merchantId: string, id: string, now: Date): Promise<PaymentIntent> {
  await getMerchantPaymentIntent(db, merchantId, id);
  return inTransaction(db, async (trx) => {
    if (!(await moveIntent(trx, id, 'canceled', now))) {
      const current = (await findPaymentIntent(trx, id))!;
      throw new PaykeyError('payment_intent_unexpected_state',
        `Expected a payment intent that is requires_confirmation or failed to cancel, received one that is ${current.status}`,
      );
    }
    const canceled = (await findPaymentIntent(trx, id))!;
    await enqueueWebhookEvent(trx, { merchantId, type: 'payment_intent.canceled', object: toPaymentIntentJson(canceled), now });
    return canceled;
  });
}
