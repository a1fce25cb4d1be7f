import type { CheckoutView, PaymentChallenge, PaymentTerms } from '../../shopper-api.ts';
import { localized } from '../i18n/localized.ts';
import type { CardCheckout } from './card-checkout.ts';
import type { CheckoutFlow } from './checkout-flow.ts';
import { isApiError } from './describe-error.ts';
import { stateAfterLostAnswer } from './lost-answer.ts';
import * as calls from '../api/shopper-calls.ts';
import { wholeTable } from './whole-table.ts';

/**
 * Paying, in a chunk of its own: the wallet asks for it once its first screen shows (after ready), so no first screen
 * downloads it and Pay does not wait for it. `CardCheckout.pay` checks what is to be paid and runs these as one
 * shopper action (busy from the press on, so a second press is refused even while this code downloads).
 */

/**
 * Pays with the chosen card on the terms the shopper sees: the passkey signs the quote they were shown, with the
 * challenge that came with those terms when there is one (`TermsKeeper.takeChallenge`), else one asked for now.
 */
export async function payWithCard(flow: CheckoutFlow, cardId: string, terms: PaymentTerms, checkout: CheckoutView, challenge?: PaymentChallenge): Promise<void> {
  const { api, webauthn } = flow.deps;
  const { challengeId, options } = challenge ?? (await calls.confirmOptions(api, flow.secret, cardId, terms.quoteId));
  const response = await webauthn.authenticate(options);
  flow.set({ status: wholeTable(flow.state).processing });
  const answer = await calls
    .confirm(api, { client_secret: flow.secret, challenge_id: challengeId, response })
    .catch((e: unknown) => stateAfterLostAnswer(e, () => api.checkout(flow.secret), checkout.paymentIntentId));
  flow.paymentReceipt = ('receipt' in answer && answer.receipt) || undefined;
  // The passkey that paid signed the shopper in (memory only): receipts and cards need no second prompt.
  if ('session' in answer && answer.session && !flow.session) flow.session = answer.session.sessionToken;
  await flow.settle(answer);
}

/** A card payment's failure this code handles (true), else false: the flow's alert says it. */
export function cardPaymentFailed(card: CardCheckout, cardId: string, terms: PaymentTerms, e: unknown): boolean {
  if (isApiError(e, 'quote_expired')) {
    void card.termsChanged();
    return true;
  }
  // The bank refused the signed offer: nothing was charged. New terms without it, and the shopper confirms again.
  if (isApiError(e, 'offer_unavailable') && terms.offer) {
    void card.offerKeeper?.withdrawn(cardId, terms.offer.offerId);
    return true;
  }
  // The intent itself was found by /checkout, so a 404 `resource_missing` here is the card.
  if (!isApiError(e, 'resource_missing')) return false;
  card.forgetDevice(wholeTable(card.flow.state).errorCardUnknown);
  return true;
}

/**
 * Pays by bank in `bankWindow` (opened by the flow within Pay's click, as popup blockers require): the passkey
 * confirms, the window shows the bank's consent page, and the outcome settles as for cards.
 */
export async function payByBank(flow: CheckoutFlow, bank: string, bankWindow: Window | null): Promise<void> {
  const { payByBank } = await import('../pay-by-bank/pay-by-bank.ts');
  const m = wholeTable(flow.state);
  const { checkout, locale } = flow.state;
  const brand = checkout?.payByBank;
  const name = brand ? localized(brand.name, locale) : bank;
  const state = await payByBank({
    api: flow.deps.api,
    authenticate: (options) => flow.deps.webauthn.authenticate(options),
    clientSecret: flow.secret,
    sessionToken: flow.session,
    bank,
    bankWindow,
    atBank: () => flow.set({ status: m.waitingForBankApproval(name), atBank: true }),
  });
  flow.bankWindow = null;
  flow.set({ atBank: false });
  await flow.settle(state);
}
