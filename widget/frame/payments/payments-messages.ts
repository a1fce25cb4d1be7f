import type { Locale } from '../i18n/messages.ts';

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
} satisfies PaymentsMessages;

export const paymentsMessages: Record<Locale, PaymentsMessages> = { en, 'zh-CN': zhCN };
