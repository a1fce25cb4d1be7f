import type { BankAdapter } from '../adapters/bank-adapter.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { payableCard, type PaymentConfirmationDeps } from '../payments/confirm-payment.ts';
import type { PaymentIntent } from '../payments/payment-intents.ts';
import type { CardRow } from '../shoppers/cards.ts';

/**
 * The cards a caller may pay `intent` with, each as `payableCard` decides it for a quote (the intent not locked and
 * still confirmable; the card active, its bank configured; the signed-in shopper's own when a session is sent), and
 * all of one shopper's: without a session, cards of two shoppers in one request are "no such card" (404
 * `resource_missing`), so a client secret never lets anyone ask banks about several people's cards at once.
 */
export async function payableCards(
  deps: Pick<PaymentConfirmationDeps, 'db' | 'banks' | 'now'>,
  input: { clientSecret: string; cardIds: readonly string[]; sessionToken?: string },
): Promise<{ intent: PaymentIntent; shopperId: string; cards: { card: CardRow; bank: BankAdapter }[] }> {
  const found = [];
  // One after the other: the first refusal (a locked or finished intent, an unknown card) answers, as for a quote.
  for (const cardId of input.cardIds) found.push(await payableCard(deps, { clientSecret: input.clientSecret, cardId, sessionToken: input.sessionToken }));
  const shopperId = found[0].card.shopper_id;
  if (found.some(({ card }) => card.shopper_id !== shopperId)) throw new PaykeyError('resource_missing', 'No such card');
  return { intent: found[0].intent, shopperId, cards: found.map(({ card, bank }) => ({ card, bank })) };
}
