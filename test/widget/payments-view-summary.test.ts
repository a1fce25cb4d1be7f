import { setViewport } from '@web/test-runner-commands';
import type { Receipt, SpendingSummaryResponse } from '../../widget/shopper-api.ts';
import { PaykeyPayments } from '../../widget/frame/payments/paykey-payments.ts';
import { deepEqual, equal } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { assertAccessible, cleanup, mount } from './support/dom.ts';
import { assertFitsNarrow, narrowLayouts, useLayout } from './support/narrow-layouts.ts';

/** December 2026 on the 10th: $45.00 (groceries $25.00, clothing $20.00) → $139.50 projected; and ¥1,200. */
const december: SpendingSummaryResponse = {
  month: '2026-12',
  method: 'linear_daily_average',
  daysElapsed: 10,
  daysInMonth: 31,
  totals: [
    { currency: 'JPY', currencyDigits: 0, spent: 1200, projected: 3720, byCategory: [{ category: 'electronics', amount: 1200 }] },
    {
      currency: 'USD',
      currencyDigits: 2,
      spent: 4500,
      projected: 13950,
      byCategory: [
        { category: 'groceries', amount: 2500 },
        { category: 'clothing', amount: 2000 },
      ],
    },
  ],
};

const payment: Receipt = {
  paymentIntentId: 'pi_1',
  reference: 'ch_1',
  payee: 'Corner Grocer',
  description: null,
  status: 'succeeded',
  amount: 2500,
  currency: 'USD',
  currencyDigits: 2,
  fee: 0,
  fx: null,
  debit: { amount: 2500, currency: 'USD', currencyDigits: 2 },
  card: { bank: 'sandbox', brand: 'visa', last4: '4242', bankName: { en: 'Sandbox Bank' } },
  payByBank: null,
  createdAt: '2026-12-01T09:30:00.000Z',
  settledAt: '2026-12-01T09:30:01.000Z',
  offer: null,
  category: 'groceries',
};

const text = (n: Element) => n.textContent!.replace(/\s+/g, ' ').trim();
const summaryOf = (el: PaykeyPayments) => el.shadowRoot!.querySelector('section.summary');
const lines = (el: PaykeyPayments) => [...summaryOf(el)!.querySelectorAll('p')].map(text);

async function paymentsScreen(props: Partial<PaykeyPayments>): Promise<PaykeyPayments> {
  return mount(Object.assign(new PaykeyPayments(), { timeZone: 'UTC', payments: [payment], ...props }));
}

describe('paykey-payments: the spending summary', () => {
  afterEach(async () => {
    cleanup();
    useLayout(null);
    await setViewport({ width: 800, height: 600 });
  });

  it('shows this month per currency, by category, with the projection and how it is made, above the list', async () => {
    const el = await paymentsScreen({ summary: december });
    assertAccessible(el);
    const section = summaryOf(el)!;
    equal(section.getAttribute('aria-label'), 'Your spending this month');
    deepEqual(lines(el), [
      'This month: ¥1,200 — Electronics ¥1,200. Projected by Dec 31: ¥3,720 (your daily average so far × days in the month).',
      'This month: $45.00 — Groceries $25.00, Clothing $20.00. Projected by Dec 31: $139.50 (your daily average so far × days in the month).',
      'Each currency is counted on its own, without conversion.',
    ]);
    equal(section.compareDocumentPosition(el.shadowRoot!.querySelector('ul')!) & Node.DOCUMENT_POSITION_FOLLOWING, Node.DOCUMENT_POSITION_FOLLOWING, 'above the list');
    await assertNoAxeViolations(el, 'summary en');
  });

  it('in Chinese, with the category names of zh-CN', async () => {
    const el = await paymentsScreen({ summary: december, locale: 'zh-CN' });
    equal(summaryOf(el)!.getAttribute('aria-label'), '您本月的消费');
    deepEqual(lines(el), [
      '本月：JP¥1,200 — 电子产品 JP¥1,200。 预计到 12月31日：JP¥3,720（按您本月至今的日均消费 × 当月天数）。',
      '本月：US$45.00 — 食品杂货 US$25.00，服装 US$20.00。 预计到 12月31日：US$139.50（按您本月至今的日均消费 × 当月天数）。',
      '各币种分别统计，不做换算。',
    ]);
    await assertNoAxeViolations(el, 'summary zh-CN');
  });

  it('one currency needs no conversion note; an empty month says nothing was spent; no summary shows nothing', async () => {
    const el = await paymentsScreen({ summary: { ...december, month: '2027-02', daysInMonth: 28, totals: december.totals.slice(1) } });
    deepEqual(lines(el), [
      'This month: $45.00 — Groceries $25.00, Clothing $20.00. Projected by Feb 28: $139.50 (your daily average so far × days in the month).',
    ]);
    el.summary = { ...december, totals: [] };
    await el.updateComplete;
    deepEqual(lines(el), ['This month: nothing spent yet.']);
    el.summary = null;
    await el.updateComplete;
    equal(summaryOf(el), null);
  });

  it('before the 7th a month-end projection would mislead: the line says from when it shows, in both languages', async () => {
    const firstDay = { ...december, daysElapsed: 1, totals: [{ currency: 'USD', currencyDigits: 2, spent: 3998, projected: 123938, byCategory: [{ category: 'groceries', amount: 3998 }] }] };
    const el = await paymentsScreen({ summary: firstDay });
    deepEqual(lines(el), ['This month: $39.98 — Groceries $39.98. A month-end projection shows from Dec 7 (too few days so far).']);
    const zh = await paymentsScreen({ summary: { ...firstDay, daysElapsed: 6 }, locale: 'zh-CN' });
    deepEqual(lines(zh), ['本月：US$39.98 — 食品杂货 US$39.98。 12月7日起显示月底预计（目前天数太少）。']);
    const seventh = await paymentsScreen({ summary: { ...firstDay, daysElapsed: 7 } });
    equal(lines(seventh)[0].includes('Projected by Dec 31: $1,239.38'), true, lines(seventh)[0]);
  });

  it('an unknown category from a newer server reads as Other', async () => {
    const el = await paymentsScreen({
      summary: { ...december, totals: [{ currency: 'USD', currencyDigits: 2, spent: 500, projected: 1550, byCategory: [{ category: 'pets', amount: 500 }] }] },
    });
    equal(lines(el)[0].startsWith('This month: $5.00 — Other $5.00.'), true, lines(el)[0]);
  });

  it('fits 320 px: both languages, larger text, rtl', async () => {
    await setViewport({ width: 320, height: 800 });
    for (const layout of narrowLayouts) {
      const label = useLayout(layout);
      const el = await paymentsScreen({ summary: december, locale: layout.locale });
      assertFitsNarrow(el, label);
      await assertNoAxeViolations(el, `summary at 320 px, ${label}`);
      cleanup();
    }
  });
});
