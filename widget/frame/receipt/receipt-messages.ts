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
} satisfies ReceiptMessages;

export const receiptMessages: Record<Locale, ReceiptMessages> = { en, 'zh-CN': zhCN };
