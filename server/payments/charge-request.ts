import type { BankLimits, ChargeRequest } from '../adapters/bank-adapter.ts';
import { shortenStatementText } from '../adapters/shorten-statement-text.ts';
import type { CardRow } from '../shoppers/cards.ts';
import type { PaymentAttempt } from './payment-attempts.ts';
import type { PaymentIntent } from './payment-intents.ts';

/**
 * The one place a charge request is built: always the attempt's own reference and idempotency key, and the
 * intent's description shortened to what the card's bank takes (the same text on every retry of the attempt).
 */
export function chargeRequestFor(
  attempt: PaymentAttempt,
  intent: PaymentIntent,
  card: CardRow,
  limits: Pick<BankLimits, 'maxDescriptionLength'>,
): ChargeRequest {
  const description = intent.description ? shortenStatementText(intent.description, limits.maxDescriptionLength) : '';
  return {
    token: card.bank_token,
    amount: intent.amount,
    currency: intent.currency,
    reference: attempt.reference,
    idempotencyKey: attempt.idempotency_key,
    ...(description ? { description } : {}),
  };
}
