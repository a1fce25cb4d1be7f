import type { Locale } from '../i18n/messages.ts';

/**
 * The receipt's strings. They load with the receipt's own chunk, not the first screen's table; `zh-CN` has exactly
 * the shape of `en` (checked by `satisfies`).
 */
const en = {
  title: 'Receipt',
  loading: 'Loading the receipt…',
  back: 'Back',
  payee: 'Paid to',
  description: 'For',
  status: 'Status',
  amount: 'Amount',
  fee: 'Fee',
  noFee: 'None',
  rate: 'Exchange rate',
  rateSource: (source: string) => `Rate from ${source}`,
  debited: 'Amount debited',
  card: 'Card',
  cardSpoken: (brand: string, last4: string) => `${brand} ending in ${last4}`,
  paidByBank: 'Paid by bank',
  time: 'Time',
  reference: 'Reference',
  // Bank offers (issue 9).
  offer: (bank: string) => `${bank} offer`,
  bankOffer: 'Bank offer',
  discount: (amount: string) => `−${amount}`,
  chargedWithOffer: 'Charged with the offer',
  cashbackExpected: (amount: string, date: string) => `${amount} cashback — expected by ${date}`,
  cashbackCredited: (amount: string, when: string) => `${amount} cashback — credited ${when}`,
  plan: (first: string, count: number, per: string) => `${first} now, then ${count} × ${per} a month`,
  apr: (percent: string) => `${percent}% APR`,
  planFees: (fees: string) => `fees ${fees} in all`,
  noPlanFees: 'no fees',
  revokedRefunded: 'Offer revoked (the payment was refunded)',
  revokedFailed: 'Offer revoked (the payment failed)',
  personalized: (bank: string) => `Chosen by ${bank} from your spending there`,
  refresh: 'Refresh',
  refreshing: 'Refreshing…',
  refreshed: 'Receipt updated',
};

export type ReceiptMessages = typeof en;

const zhCN = {
  title: '收据',
  loading: '正在加载收据…',
  back: '返回',
  payee: '收款方',
  description: '商品',
  status: '状态',
  amount: '金额',
  fee: '手续费',
  noFee: '无',
  rate: '汇率',
  rateSource: (source: string) => `汇率来源：${source}`,
  debited: '扣款金额',
  card: '银行卡',
  cardSpoken: (brand: string, last4: string) => `${brand}，尾号 ${last4}`,
  paidByBank: '银行转账付款',
  time: '时间',
  reference: '参考编号',
  offer: (bank: string) => `${bank}优惠`,
  bankOffer: '银行优惠',
  discount: (amount: string) => `−${amount}`,
  chargedWithOffer: '优惠后扣款',
  cashbackExpected: (amount: string, date: string) => `返现 ${amount}，预计 ${date} 前到账`,
  cashbackCredited: (amount: string, when: string) => `返现 ${amount}，已于 ${when} 到账`,
  plan: (first: string, count: number, per: string) => `现付 ${first}，之后每月 ${per}，共 ${count} 期`,
  apr: (percent: string) => `年化利率 ${percent}%`,
  planFees: (fees: string) => `手续费共 ${fees}`,
  noPlanFees: '无手续费',
  revokedRefunded: '优惠已撤销（该笔付款已退款）',
  revokedFailed: '优惠已撤销（该笔付款未完成）',
  personalized: (bank: string) => `${bank}根据您在该行的消费为您推荐`,
  refresh: '刷新',
  refreshing: '正在刷新…',
  refreshed: '收据已更新',
} satisfies ReceiptMessages;

export const receiptMessages: Record<Locale, ReceiptMessages> = { en, 'zh-CN': zhCN };
