/**
 * The best card for this payment (widget/frame/offers/best-card.ts) on a fixed set of cards: lowest `net` =
 * charged + fee − comesBackLater; instalments are not candidates; a tie keeps the chosen card; a suggestion only when
 * another card saves at least 1 minor unit. And the offer the wallet applies by itself (offer-to-apply.ts).
 */
import { bestCard, bestOptionOf } from '../../widget/frame/offers/best-card.ts';
import { offerToApply } from '../../widget/frame/offers/offer-to-apply.ts';
import type { CardOffers } from '../../widget/shopper-api.ts';
import { deepEqual, equal } from './support/assert.ts';
import { cardOffers, lotus3x, lotusTea, sandboxCashback } from './support/offer-fixtures.ts';

/** ¥250.00: Lotus ¥20 off (net 23000); Sandbox 5 % back (net 23750, an estimate); a third card with a ¥3.00 FX fee (net 25300). */
const lotus = cardOffers('card_l', 25000, [lotusTea(25000)]);
const sandbox = cardOffers('card_s', 25000, [sandboxCashback(25000)]);
const foreign = cardOffers('card_f', 25000, [], 300, true);
const cards: CardOffers[] = [sandbox, foreign, lotus];

describe('bestCard (the formula)', () => {
  it('suggests the card whose best option has the lowest net, with what it saves', () => {
    const s = bestCard(cards, 'card_s')!;
    equal(s.cardId, 'card_l');
    equal(s.offer?.offerId, 'lotus-tea-20');
    deepEqual([s.cost.charged, s.cost.fee, s.cost.comesBackLater, s.cost.net], [23000, 0, 0, 23000]);
    equal(s.saves, 750, '23750 − 23000');
    equal(bestCard(cards, 'card_f')!.saves, 2300, 'against paying ¥250 + ¥3 fee');
  });

  it('suggests nothing when the chosen card is already the best, or for pay by bank and unknown cards', () => {
    equal(bestCard(cards, 'card_l'), null);
    equal(bestCard(cards, 'bank:sandbox'), null);
    equal(bestCard(cards, undefined), null);
  });

  it('counts cashback as coming back later, an estimate', () => {
    const best = bestOptionOf(sandbox)!;
    equal(best.offer?.kind, 'cashback');
    equal(best.cost.net, 23750);
    equal(best.cost.estimate, true);
  });

  it('keeps the chosen card on a tie, and needs a saving of at least 1 minor unit', () => {
    const same = cardOffers('card_t', 25000, [lotusTea(25000, { offerId: 'other-20', cardId: 'card_t' })]);
    equal(bestCard([lotus, same], 'card_l'), null, 'a tie keeps the chosen card');
    equal(bestCard([same, lotus], 'card_l'), null, 'whatever the order');
    const oneFen = cardOffers('card_o', 25000, [lotusTea(25000, { offerId: 'o', cardId: 'card_o', value: { kind: 'instant_discount', discount: 2001 }, effect: { charged: 22999, dueNow: 22999, comesBackLater: 0, planFees: 0 } })]);
    equal(bestCard([lotus, oneFen], 'card_l')?.saves, 1, 'one fen is a saving');
  });

  it('never counts an instalment plan, nor an offer the bank refused in this checkout', () => {
    const plan = cardOffers('card_p', 120000, [lotus3x(120000)]);
    // A plan whose cost were lower would still not count: paying over time is not a saving.
    plan.costs[1] = { ...plan.costs[1], net: 1 };
    const full = cardOffers('card_q', 119999, []);
    equal(bestOptionOf(plan)!.offer, null, 'the plan is no candidate');
    equal(bestCard([plan, full], 'card_p')?.cardId, 'card_q');
    equal(bestCard(cards, 'card_s', { card_l: ['lotus-tea-20'] }), null, 'without the refused offer Lotus costs ¥250');
  });
});

describe('offerToApply', () => {
  it('applies the instant discount or cashback with the lowest net, never instalments', () => {
    equal(offerToApply(lotus), 'lotus-tea-20');
    equal(offerToApply(sandbox), 'sandbox-cashback-5');
    const both = cardOffers('card_l', 120000, [lotus3x(120000), lotusTea(120000)]);
    equal(offerToApply(both), 'lotus-tea-20');
    equal(offerToApply(cardOffers('card_l', 120000, [lotus3x(120000)])), null);
  });

  it('skips offers the bank refused, and offers that would not lower the cost', () => {
    equal(offerToApply(lotus, ['lotus-tea-20']), null);
    const useless = cardOffers('card_l', 25000, [lotusTea(25000, { effect: { charged: 25000, dueNow: 25000, comesBackLater: 0, planFees: 0 } })]);
    equal(offerToApply(useless), null);
  });
});
