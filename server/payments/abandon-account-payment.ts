import { PaykeyError } from '../errors/paykey-error.ts';
import type { WalletDb } from '../store/database.ts';
import { recordAccountPaymentOutcome } from './account-payments.ts';
import { findPaymentIntent, getPaymentIntentByClientSecret, type PaymentIntent } from './payment-intents.ts';

/**
 * The shopper closed their bank's window (or pressed Cancel) while the wallet waited for their approval: the
 * intent's pending account payment ends `failed` with `consent_window_closed` — only if no approval was recorded
 * (the same fence as the consent deadline), so nothing was or can be paid. An approved or settled one is left as
 * it is. Answers with the intent as it stands, which is what the frame shows.
 */
export async function abandonAccountPayment(db: WalletDb, clientSecret: string, now: Date): Promise<PaymentIntent> {
  const intent = await getPaymentIntentByClientSecret(db, clientSecret);
  const payment = await db
    .selectFrom('account_payments')
    .selectAll()
    .where('intent_id', '=', intent.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!payment && intent.status === 'requires_confirmation') throw new PaykeyError('payment_intent_unexpected_state', 'No payment by bank is under way');
  if (payment) {
    await recordAccountPaymentOutcome(
      db,
      payment,
      { status: 'declined', bankPaymentId: null, code: 'consent_window_closed', message: 'You closed your bank’s window before approving the payment. Nothing was paid.' },
      now,
      { onlyIfUnauthorized: true },
    );
  }
  return (await findPaymentIntent(db, intent.id))!;
}
