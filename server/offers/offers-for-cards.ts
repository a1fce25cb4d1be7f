import type { BankAdapter } from '../adapters/bank-adapter.ts';
import { OFFERS_DEADLINE_MS, offerEffect, type OfferLocale, type OfferQuote, type OfferValue } from '../adapters/bank-offers.ts';
import { feeFor, type FeeSchedule } from '../adapters/fee-schedule.ts';
import type { PaymentConfirmationDeps } from '../payments/confirm-payment.ts';
import type { FeeScheduleLookup } from '../payments/fee-schedule-cache.ts';
import type { CardRow } from '../shoppers/cards.ts';
import { findMerchant } from '../store/merchants.ts';
import type { CardOffers, OfferView, OffersResponse } from '../../widget/shopper-api.ts';
import { askBankForOffers } from './ask-bank-for-offers.ts';
import { offerMerchantOf } from './offer-merchant.ts';
import { offerAskFor, readOfferSettings } from './offer-settings.ts';
import { payableCards } from './payable-cards.ts';
import { paymentOptionCosts } from './payment-option-costs.ts';

export interface OffersForCardsDeps extends Pick<PaymentConfirmationDeps, 'db' | 'banks' | 'now'> {
  feeSchedules: FeeScheduleLookup;
  /** How long a bank is waited for (its offers, its fee schedule); default `OFFERS_DEADLINE_MS`. */
  deadlineMs?: number;
}

export interface OffersForCardsInput {
  clientSecret: string;
  /** Each card once (the route's schema refuses a repeat). */
  cardIds: readonly string[];
  sessionToken?: string;
  /** The merchant page's origin as the frame reports it; default the merchant's first allowed origin. */
  topOrigin?: string;
  locale: OfferLocale;
}

/**
 * Each card's bank offers on this payment and what each way of paying costs (`POST /api/frame/offers`). Reads top
 * to bottom:
 * 1. the cards, as a quote would allow them (payable-cards.ts), and their owner's two switches;
 * 2. per bank, in parallel, with only that bank's card tokens: its offers (`askBankForOffers`, at most
 *    `OFFERS_DEADLINE_MS`; the switches decide whether it is asked at all and whether personalised offers are) and
 *    its fee schedule (the same deadline; unknown in time → that card's costs are left empty);
 * 3. per card: its offers, and the costs of paying in full and with each offer (payment-option-costs.ts).
 * Nothing is stored and nothing is logged: an offer reaches Paykey's database only once the shopper applies it.
 */
export async function offersForCards(deps: OffersForCardsDeps, input: OffersForCardsInput): Promise<OffersResponse> {
  const deadlineMs = deps.deadlineMs ?? OFFERS_DEADLINE_MS;
  const { intent, shopperId, cards } = await payableCards(deps, input);
  const merchantRow = await findMerchant(deps.db, intent.merchant_id);
  if (!merchantRow) throw new Error(`Payment intent ${intent.id} has no merchant`);
  const merchant = offerMerchantOf(merchantRow, input.topOrigin);
  const settings = await readOfferSettings(deps.db, shopperId);
  const askFor = offerAskFor(settings);
  const now = deps.now();

  const banks = new Map<string, { bank: BankAdapter; cards: CardRow[] }>();
  for (const { card, bank } of cards) {
    const entry = banks.get(bank.id) ?? { bank, cards: [] };
    entry.cards.push(card);
    banks.set(bank.id, entry);
  }

  const answers = new Map<string, CardOffers>();
  await Promise.all(
    [...banks.values()].map(async ({ bank, cards: bankCards }) => {
      const [quotes, schedule] = await Promise.all([
        askFor.ask
          ? askBankForOffers(
              bank,
              {
                merchant,
                amount: intent.amount,
                currency: intent.currency,
                cardTokens: [...new Set(bankCards.map((card) => card.bank_token))],
                personalization: askFor.personalization,
                locale: input.locale,
              },
              now,
              deadlineMs,
            )
          : Promise.resolve(null),
        feeScheduleWithin(deps.feeSchedules, bank, deadlineMs),
      ]);
      for (const card of bankCards) {
        const offers = offersOfCard(quotes ?? [], card, bank, intent.amount, askFor.ask && askFor.onlyPersonalized);
        const crossCurrency = (card.currency ?? intent.currency) !== intent.currency;
        answers.set(card.id, {
          cardId: card.id,
          answered: quotes !== null,
          offers,
          costs: costsOf(intent.amount, intent.currency, offers, schedule, crossCurrency),
          crossCurrency,
        });
      }
    }),
  );
  return { cards: cards.map(({ card }) => answers.get(card.id)!), settings };
}

/** The bank's quotes for this card as the wallet shows them (one per offer), only the personalised ones when asked so. */
function offersOfCard(quotes: readonly OfferQuote[], card: CardRow, bank: BankAdapter, amount: number, onlyPersonalized: boolean): OfferView[] {
  const seen = new Set<string>();
  const views: OfferView[] = [];
  for (const quote of quotes) {
    if (quote.cardToken !== card.bank_token || (onlyPersonalized && !quote.personalized) || seen.has(quote.offerId)) continue;
    seen.add(quote.offerId);
    const value = valueOf(quote.value);
    views.push({
      offerId: quote.offerId,
      version: quote.version,
      cardId: card.id,
      bank: bank.id,
      kind: value.kind,
      personalized: quote.personalized,
      fundedBy: quote.fundedBy,
      title: quote.title,
      terms: quote.terms,
      value,
      effect: offerEffect(amount, value),
      refundPolicy: quote.refundPolicy,
      expiresAt: quote.expiresAt,
      endsAt: quote.endsAt,
    });
  }
  return views;
}

/** Exactly the members of the value's kind (an adapter's extra members are not passed on to the frame). */
function valueOf(value: OfferValue): OfferValue {
  switch (value.kind) {
    case 'instant_discount':
      return { kind: value.kind, discount: value.discount };
    case 'cashback':
      return { kind: value.kind, cashback: value.cashback, expectedBy: value.expectedBy };
    case 'instalments':
      return {
        kind: value.kind,
        count: value.count,
        firstInstalment: value.firstInstalment,
        perInstalment: value.perInstalment,
        totalFees: value.totalFees,
        aprBasisPoints: value.aprBasisPoints,
      };
  }
}

const UNKNOWN: unique symbol = Symbol('fee schedule unknown');

/** The bank's fee schedule (`null`: it charges no fee), or UNKNOWN when it is not known within the deadline or failed. */
async function feeScheduleWithin(lookup: FeeScheduleLookup, bank: BankAdapter, deadlineMs: number): Promise<FeeSchedule | null | typeof UNKNOWN> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof UNKNOWN>((resolve) => {
    timer = setTimeout(() => resolve(UNKNOWN), deadlineMs);
  });
  try {
    // A late schedule still lands in the cache for the next request.
    return await Promise.race([lookup(bank).catch((): typeof UNKNOWN => UNKNOWN), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Paying in full, then with each offer; empty when the card's fee is not known (no figure is better than a wrong one). */
function costsOf(amount: number, currency: string, offers: readonly OfferView[], schedule: FeeSchedule | null | typeof UNKNOWN, crossCurrency: boolean) {
  if (schedule === UNKNOWN) return [];
  try {
    return paymentOptionCosts(amount, offers, (charged) => (schedule && feeFor(schedule, 'card', currency, charged, { crossCurrency })) ?? 0);
  } catch {
    // A schedule that does not add up (feeFor refuses it) gives no figures, as /quotes would give no terms.
    return [];
  }
}
