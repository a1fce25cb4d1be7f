import type { PaymentStatus } from '../../shopper-api.ts';
import type { Locale } from '../i18n/messages.ts';

/** A payment's status as the shopper reads it, on the receipt and in the payments list. */
export const paymentStatusText = {
  en: {
    requires_confirmation: 'Not confirmed',
    processing: 'Processing',
    succeeded: 'Paid',
    failed: 'Not completed',
    canceled: 'Canceled',
    requires_review: 'Being checked',
  },
  'zh-CN': {
    requires_confirmation: '未确认',
    processing: '处理中',
    succeeded: '已支付',
    failed: '未完成',
    canceled: '已取消',
    requires_review: '审核中',
  },
} satisfies Record<Locale, Record<PaymentStatus, string>>;
