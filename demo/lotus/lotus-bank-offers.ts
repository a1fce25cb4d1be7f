/**
 * Lotus Bank's offers to its card holders (its profile's catalogue): ¥20 off a CNY payment of ¥200 or more, and three
 * interest-free instalments on a CNY payment of ¥1,000 or more. Both bank-funded: the merchant is not told. Neither
 * has an announced end (`endsAt: null`).
 */
import type { BankOffer } from '../bank/offers/bank-offer.ts';

export const lotusBankOffers: readonly BankOffer[] = Object.freeze([
  Object.freeze({
    id: 'lotus-tea-20',
    version: 1,
    rule: Object.freeze({ type: 'fixed_discount' as const, currency: 'CNY', minAmount: 20_000, discount: 2_000 }),
    match: Object.freeze({}),
    personalized: false,
    fundedBy: 'bank' as const,
    refundPolicy: 'revoke_on_any_refund' as const,
    title: Object.freeze({ en: '¥20 off ¥200 or more', 'zh-CN': '满¥200立减¥20' }),
    terms: Object.freeze({
      en:
        'Lotus Bank takes ¥20.00 off a payment of ¥200.00 or more in CNY made with your Lotus Bank card, at the moment you pay. ' +
        'The offer is funded by Lotus Bank: the merchant is neither told nor charged for it. One offer per payment, while the offer budget lasts. ' +
        'If the payment is refunded, in whole or in part, the offer is revoked and the refund is of what you were charged.',
      'zh-CN':
        '使用莲花银行卡以人民币支付满¥200.00，支付时立减¥20.00。本优惠由莲花银行出资，商户既不知情也不承担费用。每笔支付限用一次，名额有限，用完即止。' +
        '如该笔支付全部或部分退款，优惠即被撤销，退款按您实际支付的金额计算。',
    }),
    budget: 1_000,
    endsAt: null,
  }),
  Object.freeze({
    id: 'lotus-3x',
    version: 1,
    rule: Object.freeze({ type: 'instalments' as const, currency: 'CNY', minAmount: 100_000, count: 3, feeBasisPoints: 0, aprBasisPoints: 0 }),
    match: Object.freeze({}),
    personalized: false,
    fundedBy: 'bank' as const,
    refundPolicy: 'revoke_on_full_refund' as const,
    title: Object.freeze({ en: '3 interest-free instalments', 'zh-CN': '3期免息分期' }),
    terms: Object.freeze({
      en:
        'Pay a CNY payment of ¥1,000.00 or more with your Lotus Bank card in 3 monthly instalments, with no interest and no fees (APR 0 %). ' +
        'The first instalment is billed now and takes any rounding; the other two follow monthly. Funded by Lotus Bank: the merchant is paid in full and is not told. ' +
        'A full refund ends the plan; a partial refund lowers the remaining instalments.',
      'zh-CN':
        '使用莲花银行卡以人民币支付满¥1,000.00，可分3期按月还款，免息、免手续费（年化利率0%）。首期于本次入账并包含尾差，其余两期按月入账。' +
        '本优惠由莲花银行出资，商户全额收款且不知情。全额退款即终止分期；部分退款相应减少剩余分期金额。',
    }),
    budget: 500,
    endsAt: null,
  }),
]);
