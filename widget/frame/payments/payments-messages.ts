import type { Locale } from '../i18n/messages.ts';
import type { MerchantCategory } from '../../merchant-categories.ts';

/**
 * The payments view's strings, loaded with its own chunk; `zh-CN` has exactly the shape of `en` (`satisfies`).
 */
const en = {
  title: 'Payments',
  back: 'Back',
  intro: 'Your recent payments with Paykey, at every shop. Open one to see its receipt.',
  loading: 'Loading your payments…',
  empty: 'You have no payments yet.',
  fee: (amount: string) => `fee ${amount}`,
  loadMore: 'Load more payments',
  loadingMore: 'Loading more payments…',
  // The spending summary (issue 9).
  summaryLabel: 'Your spending this month',
  thisMonth: (total: string, parts: string) => (parts ? `This month: ${total} — ${parts}.` : `This month: ${total}.`),
  listSeparator: ', ',
  categoryAmount: (category: string, amount: string) => `${category} ${amount}`,
  projected: (day: string, amount: string) => `Projected by ${day}: ${amount} (your daily average so far × days in the month).`,
  projectionLater: (day: string) => `A month-end projection shows from ${day} (too few days so far).`,
  nothingYet: 'This month: nothing spent yet.',
  noConversion: 'Each currency is counted on its own, without conversion.',
  categories: {
    groceries: 'Groceries',
    dining: 'Dining',
    clothing: 'Clothing',
    home: 'Home',
    travel: 'Travel',
    electronics: 'Electronics',
    other: 'Other',
  } satisfies Record<MerchantCategory, string> as Record<string, string>,
};

export type PaymentsMessages = typeof en;

const zhCN = {
  title: '付款记录',
  back: '返回',
  intro: '您最近在各个商家使用 Paykey 的付款。打开一笔即可查看收据。',
  loading: '正在加载付款记录…',
  empty: '您还没有付款记录。',
  fee: (amount: string) => `手续费 ${amount}`,
  loadMore: '加载更多付款记录',
  loadingMore: '正在加载更多付款记录…',
  summaryLabel: '您本月的消费',
  thisMonth: (total: string, parts: string) => (parts ? `本月：${total} — ${parts}。` : `本月：${total}。`),
  listSeparator: '，',
  categoryAmount: (category: string, amount: string) => `${category} ${amount}`,
  projected: (day: string, amount: string) => `预计到 ${day}：${amount}（按您本月至今的日均消费 × 当月天数）。`,
  projectionLater: (day: string) => `${day}起显示月底预计（目前天数太少）。`,
  nothingYet: '本月尚无消费。',
  noConversion: '各币种分别统计，不做换算。',
  categories: {
    groceries: '食品杂货',
    dining: '餐饮',
    clothing: '服装',
    home: '家居',
    travel: '出行',
    electronics: '电子产品',
    other: '其他',
  } satisfies Record<MerchantCategory, string>,
} satisfies PaymentsMessages;

export const paymentsMessages: Record<Locale, PaymentsMessages> = { en, 'zh-CN': zhCN };
