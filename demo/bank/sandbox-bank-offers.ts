/**
 * The sandbox bank's offers to its card holders (its profile's catalogue): 5 % cashback up to $10 on USD payments,
 * credited a minute after the charge (`SANDBOX_CASHBACK_DELAY_MS`), and — personalised, only for a card whose holder
 * agreed to offers chosen from their spending — 10 % off up to $5 at food stores (MCC 5499). Both bank-funded, neither
 * with an announced end (`endsAt: null`).
 */
import type { BankOffer } from './offers/bank-offer.ts';

export const sandboxBankOffers: readonly BankOffer[] = Object.freeze([
  Object.freeze({
    id: 'sandbox-cashback-5',
    version: 1,
    rule: Object.freeze({ type: 'percent_cashback' as const, currency: 'USD', minAmount: 1, basisPoints: 500, cap: 1_000 }),
    match: Object.freeze({}),
    personalized: false,
    fundedBy: 'bank' as const,
    refundPolicy: 'revoke_on_any_refund' as const,
    title: Object.freeze({ en: '5% cashback, up to $10', 'zh-CN': '5% 返现，最高 $10' }),
    terms: Object.freeze({
      en:
        'Sandbox Bank credits 5 % of a USD payment made with your Sandbox Bank card back to the card, at most $10.00 per payment, shortly after the payment. ' +
        'The offer is funded by Sandbox Bank: the merchant is neither told nor charged for it. While the offer budget lasts. ' +
        'If the payment is refunded, in whole or in part, the cashback is revoked (not credited, or taken back).',
      'zh-CN':
        '使用沙盒银行卡以美元支付，沙盒银行将在支付后不久把支付金额的5%返还至该卡，每笔最高$10.00。本优惠由沙盒银行出资，商户既不知情也不承担费用。名额有限，用完即止。' +
        '如该笔支付全部或部分退款，返现即被撤销（不再返还，或予以扣回）。',
    }),
    budget: 1_000,
    endsAt: null,
  }),
  Object.freeze({
    id: 'sandbox-tea-lovers',
    version: 1,
    rule: Object.freeze({ type: 'percent_discount' as const, currency: 'USD', minAmount: 1, basisPoints: 1_000, cap: 500 }),
    match: Object.freeze({ mccs: Object.freeze(['5499']) }),
    personalized: true,
    fundedBy: 'bank' as const,
    refundPolicy: 'revoke_on_any_refund' as const,
    title: Object.freeze({ en: '10% off at food stores, up to $5', 'zh-CN': '食品商店9折，最高减 $5' }),
    terms: Object.freeze({
      en:
        'Chosen for you from your spending at Sandbox Bank, because you allowed offers based on it: 10 % off a USD payment at a food store (MCC 5499) with your Sandbox Bank card, at most $5.00, at the moment you pay. ' +
        'Funded by Sandbox Bank: the merchant is neither told nor charged for it. If the payment is refunded, in whole or in part, the offer is revoked.',
      'zh-CN':
        '根据您在沙盒银行的消费为您挑选（您已同意基于消费记录的个性化优惠）：使用沙盒银行卡在食品商店（MCC 5499）以美元支付，支付时享9折，最高减$5.00。' +
        '本优惠由沙盒银行出资，商户既不知情也不承担费用。如该笔支付全部或部分退款，优惠即被撤销。',
    }),
    budget: 200,
    endsAt: null,
  }),
]);
