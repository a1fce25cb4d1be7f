import type { BankLimits, ChargeRequest } from '../adapters/bank-adapter.ts';
import { shortenStatementText } from '../adapters/shorten-statement-text.ts';
import type { CardRow } from '../shoppers/cards.ts';
import { debitOfAttempt, type PaymentAttempt } from './payment-attempts.ts';
import type { PaymentQuote } from './payment-quotes.ts';
import type { PaymentIntent } from './payment-intents.ts';

/**
 * The one place a charge request is built: always the attempt's own reference and idempotency key, the intent's
 * description shortened to what the card's bank takes (the same text on every retry of the attempt), and exactly
 * the debit the shopper signed — amount + fee, in the card's currency with the bank's quote id when converted — and,
 * when the shopper applied a bank offer, its redemption with the payment's gross amount (the debit is then the net).
 */
export function chargeRequestFor(
  attempt: PaymentAttempt,
  intent: PaymentIntent,
  card: CardRow,
  limits: Pick<BankLimits, 'maxDescriptionLength'>,
  quote?: Pick<PaymentQuote, 'bank_quote_id'>,
): ChargeRequest {
  const description = intent.description ? shortenStatementText(intent.description, limits.maxDescriptionLength) : '';
  const fxQuoteId = attempt.fx_rate !== null ? quote?.bank_quote_id : undefined;
  if (attempt.fx_rate !== null && !fxQuoteId) {
    throw new Error(`Attempt ${attempt.reference} was signed with a conversion but its quote ${attempt.quote_id ?? '(none)'} names no bank quote`);
  }
  return {
    token: card.bank_token,
    ...debitOfAttempt(attempt, intent),
    reference: attempt.reference,
    idempotencyKey: attempt.idempotency_key,
    ...(description ? { description } : {}),
    ...(fxQuoteId ? { fxQuoteId } : {}),
    ...(attempt.offer_redemption_id !== null
      ? { offer: { redemptionId: attempt.offer_redemption_id, grossAmount: intent.amount, grossCurrency: intent.currency } }
      : {}),
  };
}
