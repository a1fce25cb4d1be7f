import type { ChargeRequest } from '../adapters/bank-adapter.ts';
import type { CardRow } from '../shoppers/cards.ts';
import type { PaymentAttempt } from './payment-attempts.ts';
import type { PaymentIntent } from './payment-intents.ts';

/** The one place a charge request is built: always the attempt's own reference and idempotency key. */
export function chargeRequestFor(attempt: PaymentAttempt, intent: PaymentIntent, card: CardRow): ChargeRequest {
  return {
    token: card.bank_token,
    amount: intent.amount,
    currency: intent.currency,
    reference: attempt.reference,
    idempotencyKey: attempt.idempotency_key,
    ...(intent.description ? { description: intent.description } : {}),
  };
}
