import type { Locale } from '../i18n/messages.ts';

/**
 * The strings of the offers on the confirm screen. They load with the offers' own chunk, not the first screen's table;
 * `zh-CN` has exactly the shape of `en` (checked by `satisfies`). Amounts come formatted (`formatAmount`, Intl).
 */
const en = {
  heading: 'Offers for this payment',
  howToPay: 'How to pay',
  payInFull: 'Pay in full',
  instalmentsFree: (count: number, each: string) => `${count} interest-free instalments of ${each}`,
  instalmentsCost: (count: number, each: string, apr: string, fees: string) => `${count} instalments of ${each}, ${apr} APR, ${fees} in fees`,
  applied: 'Applied to this payment',
  gone: 'No longer available',
  useOffer: 'Use this offer',
  removeOffer: 'Don’t use this offer',
  endsAt: (time: string) => `Offer ends at ${time}`,
  why: 'Why am I seeing this?',
  whyPersonalized: (bank: string) => `Chosen by ${bank} from your spending with them — you turned this on.`,
  whyGeneral: 'Offered to everyone with this card; not based on your data.',
  fundedByBank: (bank: string) => `${bank} pays for it. The shop is not told about this offer.`,
  fundedByMerchant: (payee: string) => `${payee} pays for it: the shop learns this offer and its discount, nothing else about you.`,
  fundedShared: (bank: string, payee: string) => `${bank} and ${payee} share its cost: the shop learns this offer and its discount, nothing else about you.`,
  settings: 'Offer settings',
  settingsHint: 'Turn either off at any time; your payment works the same without offers.',
  general: 'Offers for everyone with this card',
  generalHint: 'Not based on your data.',
  personalized: 'Offers chosen from my spending at my bank',
  personalizedHint: 'Your bank looks at what you spend with it, and records that you agreed.',
  on: 'On',
  off: 'Off',
  cardShort: (bank: string, last4: string) => `${bank} •• ${last4}`,
  bestCard: (card: string, now: string, saving: string, fees: string) => `${card} costs ${now} now${saving}, ${fees} — switch`,
  bestOff: (amount: string) => ` (${amount} off)`,
  bestBack: (amount: string, estimate: boolean) => `, ${amount} back later${estimate ? ', estimated' : ''}`,
  noFees: 'no fees',
  fee: (amount: string, fx: boolean) => (fx ? `a ${amount} fee incl. FX markup` : `a ${amount} fee`),
};

export type OffersMessages = typeof en;

const zhCN = {
  heading: '本次付款的优惠',
  howToPay: '付款方式',
  payInFull: '全额支付',
  instalmentsFree: (count: number, each: string) => `分 ${count} 期免息，每期 ${each}`,
  instalmentsCost: (count: number, each: string, apr: string, fees: string) => `分 ${count} 期，每期 ${each}，年利率 ${apr}，手续费 ${fees}`,
  applied: '已用于本次付款',
  gone: '已不可用',
  useOffer: '使用此优惠',
  removeOffer: '不使用此优惠',
  endsAt: (time: string) => `优惠于 ${time} 结束`,
  why: '为什么向我显示此优惠？',
  whyPersonalized: (bank: string) => `由${bank}根据您在该行的消费为您挑选——这是您开启的。`,
  whyGeneral: '面向所有持有此卡的人提供，不基于您的数据。',
  fundedByBank: (bank: string) => `由${bank}出资。商家不会得知此优惠。`,
  fundedByMerchant: (payee: string) => `由${payee}出资：商家会得知此优惠及其折扣，但不会得知您的其他信息。`,
  fundedShared: (bank: string, payee: string) => `由${bank}和${payee}共同出资：商家会得知此优惠及其折扣，但不会得知您的其他信息。`,
  settings: '优惠设置',
  settingsHint: '您可以随时关闭任一项；没有优惠，付款照常进行。',
  general: '面向所有持卡人的优惠',
  generalHint: '不基于您的数据。',
  personalized: '根据我在银行的消费推荐的优惠',
  personalizedHint: '您的银行会参考您在该行的消费，并记录您的同意。',
  on: '开',
  off: '关',
  cardShort: (bank: string, last4: string) => `${bank} •• ${last4}`,
  bestCard: (card: string, now: string, saving: string, fees: string) => `${card} 现在支付 ${now}${saving}，${fees} — 切换`,
  bestOff: (amount: string) => `（立减 ${amount}）`,
  bestBack: (amount: string, estimate: boolean) => `，之后返还 ${amount}${estimate ? '（预估）' : ''}`,
  noFees: '无手续费',
  fee: (amount: string, fx: boolean) => (fx ? `手续费 ${amount}（含外汇加价）` : `手续费 ${amount}`),
} satisfies OffersMessages;

export const offersMessages: Record<Locale, OffersMessages> = { en, 'zh-CN': zhCN };
