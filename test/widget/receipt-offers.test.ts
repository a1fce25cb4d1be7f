import { setViewport } from '@web/test-runner-commands';
import type { Receipt, ReceiptOffer } from '../../widget/shopper-api.ts';
import { loadMessages } from '../../widget/frame/i18n/messages.ts';
import { PaykeyReceipt } from '../../widget/frame/receipt/paykey-receipt.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { activeElement, assertAccessible, byRole, cleanup, mount } from './support/dom.ts';
import { lotusBrand } from './support/fixtures.ts';
import { assertFitsNarrow, narrowLayouts, useLayout } from './support/narrow-layouts.ts';

/** Lotus Bank's ¥20 off a ¥250.00 tea order, paid with a Lotus CNY card: charged ¥230.00. */
const discount: ReceiptOffer = {
  offerId: 'lotus-tea-20',
  kind: 'instant_discount',
  title: '¥20 off ¥200 or more',
  personalized: false,
  value: { kind: 'instant_discount', discount: 2000 },
  effect: { charged: 23000, dueNow: 23000, comesBackLater: 0, planFees: 0 },
  status: 'applied',
  cashback: null,
};

const teaReceipt: Receipt = {
  paymentIntentId: 'pi_tea',
  reference: 'ch_lotus_tea',
  payee: 'Longjing Tea House',
  description: null,
  status: 'succeeded',
  amount: 25000,
  currency: 'CNY',
  currencyDigits: 2,
  fee: 0,
  fx: null,
  debit: { amount: 23000, currency: 'CNY', currencyDigits: 2 },
  card: { bank: 'lotus', brand: 'mastercard', last4: '4444', bankName: { en: 'Lotus Bank', 'zh-CN': '莲花银行' } },
  payByBank: null,
  createdAt: '2026-12-01T14:05:00.000Z',
  settledAt: '2026-12-01T14:05:02.000Z',
  offer: discount,
  category: 'groceries',
};

/** Sandbox Bank's 5 % cashback on a $20.00 payment: $1.00 expected by 3 Dec 2026. */
const cashback: ReceiptOffer = {
  offerId: 'sandbox-cashback-5',
  kind: 'cashback',
  title: '5% cashback up to $10',
  personalized: false,
  value: { kind: 'cashback', cashback: 100, expectedBy: '2026-12-03T12:00:00.000Z' },
  effect: { charged: 2000, dueNow: 2000, comesBackLater: 100, planFees: 0 },
  status: 'applied',
  cashback: { amount: 100, expectedBy: '2026-12-03T12:00:00.000Z', creditedAt: null },
};

const shopReceipt: Receipt = {
  ...teaReceipt,
  paymentIntentId: 'pi_shop',
  reference: 'ch_sandbox_shop',
  payee: 'Demo Shop',
  amount: 2000,
  currency: 'USD',
  debit: { amount: 2000, currency: 'USD', currencyDigits: 2 },
  card: { bank: 'sandbox', brand: 'visa', last4: '4242', bankName: { en: 'Sandbox Bank' } },
  offer: cashback,
};

const credited = (r: Receipt): Receipt => ({ ...r, offer: { ...cashback, cashback: { ...cashback.cashback!, creditedAt: '2026-12-01T14:06:30.000Z' } } });

/** Lotus Bank's 3 interest-free instalments on ¥1,000.00: ¥333.34 now, then 2 × ¥333.33. */
const instalments: ReceiptOffer = {
  offerId: 'lotus-3x',
  kind: 'instalments',
  title: '3 interest-free instalments',
  personalized: true,
  value: { kind: 'instalments', count: 3, firstInstalment: 33334, perInstalment: 33333, totalFees: 0, aprBasisPoints: 0 },
  effect: { charged: 100000, dueNow: 33334, comesBackLater: 0, planFees: 0 },
  status: 'applied',
  cashback: null,
};
const planReceipt: Receipt = { ...teaReceipt, paymentIntentId: 'pi_plan', amount: 100000, debit: { amount: 100000, currency: 'CNY', currencyDigits: 2 }, offer: instalments };

/** What a screen reader gets from `node`: its text without aria-hidden parts, whitespace collapsed. */
function spoken(node: Node): string {
  const parts: string[] = [];
  const visit = (n: Node) => {
    if (n instanceof Element && n.getAttribute('aria-hidden') === 'true') return;
    if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent ?? '');
    n.childNodes.forEach(visit);
  };
  visit(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function fields(el: PaykeyReceipt): Record<string, string> {
  return Object.fromEntries([...el.shadowRoot!.querySelectorAll('dl > div')].map((row) => [spoken(row.querySelector('dt')!), spoken(row.querySelector('dd')!)]));
}

const refreshButton = (el: PaykeyReceipt) => el.shadowRoot!.querySelector<HTMLButtonElement>('button.refresh');
const announced = (el: PaykeyReceipt) => el.shadowRoot!.querySelector('[role=status]')?.textContent?.trim() ?? '';

async function receiptScreen(props: Partial<PaykeyReceipt>): Promise<PaykeyReceipt> {
  const locale = props.locale ?? 'en';
  return mount(Object.assign(new PaykeyReceipt(), { timeZone: 'UTC', messages: await loadMessages(locale), ...props }));
}

describe('paykey-receipt: the bank offer', () => {
  afterEach(async () => {
    cleanup();
    useLayout(null);
    await setViewport({ width: 800, height: 600 });
  });

  it('an instant discount: the gross, the bank’s offer, the net charged — in English and Chinese', async () => {
    const el = await receiptScreen({ receipt: teaReceipt });
    assertAccessible(el);
    const f = fields(el);
    equal(f.Amount, 'CN¥250.00');
    equal(f['Lotus Bank offer'], '−CN¥20.00 ¥20 off ¥200 or more');
    equal(f['Charged with the offer'], 'CN¥230.00');
    equal(f['Amount debited'], 'CN¥230.00');
    equal(refreshButton(el), null, 'nothing left to wait for: no Refresh');
    await assertNoAxeViolations(el, 'discount en');
    cleanup();

    const zh = await receiptScreen({ receipt: teaReceipt, locale: 'zh-CN' });
    const z = fields(zh);
    equal(z['金额'], '¥250.00');
    equal(z['莲花银行优惠'], '−¥20.00 ¥20 off ¥200 or more');
    equal(z['优惠后扣款'], '¥230.00');
    await assertNoAxeViolations(zh, 'discount zh-CN');
  });

  it('cashback: expected by a date, then credited once the shopper refreshes the receipt', async () => {
    const el = await receiptScreen({ receipt: shopReceipt });
    equal(fields(el)['Sandbox Bank offer'], '$1.00 cashback — expected by Dec 3, 2026 5% cashback up to $10');
    equal(fields(el)['Charged with the offer'], undefined, 'cashback charges the full amount: no net row');
    const refresh = byRole(el, 'button', 'Refresh');
    const asked: string[] = [];
    el.addEventListener('paykey-refresh-receipt', (e) => asked.push(e.detail.paymentIntentId));
    refresh.focus();
    refresh.click();
    deepEqual(asked, ['pi_shop'], 'the wallet is asked to re-read this receipt');
    el.busy = true;
    await el.updateComplete;
    equal(refresh.getAttribute('aria-disabled'), 'true');
    equal(spoken(refresh), 'Refreshing…');
    refresh.click();
    equal(asked.length, 1, 'a refresh under way is not asked twice');
    await assertNoAxeViolations(el, 'cashback refreshing');

    el.receipt = credited(shopReceipt);
    el.busy = false;
    await el.updateComplete;
    equal(fields(el)['Sandbox Bank offer'], '$1.00 cashback — credited Dec 1, 2026, 2:06 PM 5% cashback up to $10');
    equal(announced(el), 'Receipt updated');
    equal(refreshButton(el), null, 'credited: nothing left to refresh');
    equal(activeElement(el), el.shadowRoot!.querySelector('h1'), 'the focus does not fall to the page when Refresh goes');
    await assertNoAxeViolations(el, 'cashback credited');
  });

  it('cashback in Chinese: expected, then credited', async () => {
    const el = await receiptScreen({ receipt: shopReceipt, locale: 'zh-CN' });
    equal(fields(el)['Sandbox Bank优惠'], '返现 US$1.00，预计 2026年12月3日 前到账 5% cashback up to $10');
    byRole(el, 'button', '刷新').click();
    el.receipt = credited(shopReceipt);
    await el.updateComplete;
    equal(fields(el)['Sandbox Bank优惠'], '返现 US$1.00，已于 2026年12月1日 14:06 到账 5% cashback up to $10');
    equal(announced(el), '收据已更新');
    await assertNoAxeViolations(el, 'cashback zh-CN');
  });

  it('a payment still processing can be refreshed too; a settled one without pending cashback cannot', async () => {
    const el = await receiptScreen({ receipt: { ...teaReceipt, status: 'processing', settledAt: null } });
    ok(refreshButton(el), 'processing: Refresh');
    el.receipt = teaReceipt;
    await el.updateComplete;
    equal(refreshButton(el), null);
    equal(announced(el), '', 'not announced as a refresh: none was asked');
  });

  it('instalments: the plan — first now, then n × per month, APR and fees — in English and Chinese', async () => {
    const el = await receiptScreen({ receipt: planReceipt });
    equal(
      fields(el)['Lotus Bank offer'],
      'CN¥333.34 now, then 2 × CN¥333.33 a month · 0% APR · no fees 3 interest-free instalments Chosen by Lotus Bank from your spending there',
    );
    await assertNoAxeViolations(el, 'instalments en');
    el.receipt = { ...planReceipt, offer: { ...instalments, personalized: false, value: { ...instalments.value, totalFees: 1200, aprBasisPoints: 1250, perInstalment: 33933 } as ReceiptOffer['value'] } };
    await el.updateComplete;
    equal(fields(el)['Lotus Bank offer'], 'CN¥333.34 now, then 2 × CN¥339.33 a month · 12.50% APR · fees CN¥12.00 in all 3 interest-free instalments');
    cleanup();

    const zh = await receiptScreen({ receipt: planReceipt, locale: 'zh-CN' });
    equal(fields(zh)['莲花银行优惠'], '现付 ¥333.34，之后每月 ¥333.33，共 2 期 · 年化利率 0% · 无手续费 3 interest-free instalments 莲花银行根据您在该行的消费为您推荐');
    await assertNoAxeViolations(zh, 'instalments zh-CN');
  });

  it('revoked: says so, and why (refunded, or the payment failed), in both languages', async () => {
    const revoked = { ...teaReceipt, offer: { ...discount, status: 'revoked' as const } };
    const el = await receiptScreen({ receipt: revoked });
    equal(fields(el)['Lotus Bank offer'], 'Offer revoked (the payment was refunded) ¥20 off ¥200 or more');
    el.receipt = { ...shopReceipt, status: 'failed', offer: { ...cashback, status: 'revoked' } };
    await el.updateComplete;
    equal(fields(el)['Sandbox Bank offer'], 'Offer revoked (the payment failed) 5% cashback up to $10');
    equal(refreshButton(el), null, 'revoked cashback is not waited for');
    await assertNoAxeViolations(el, 'revoked en');
    cleanup();

    const zh = await receiptScreen({ receipt: revoked, locale: 'zh-CN' });
    equal(fields(zh)['莲花银行优惠'], '优惠已撤销（该笔付款已退款） ¥20 off ¥200 or more');
    await assertNoAxeViolations(zh, 'revoked zh-CN');
  });

  it('fits 320 px with an offer and Refresh: both languages, larger text, rtl', async () => {
    await setViewport({ width: 320, height: 800 });
    for (const layout of narrowLayouts) {
      const label = useLayout(layout);
      for (const receipt of [planReceipt, shopReceipt]) {
        const el = await receiptScreen({ receipt, locale: layout.locale, brand: lotusBrand });
        assertFitsNarrow(el, label);
        await assertNoAxeViolations(el, `offer receipt at 320 px, ${label}`);
        cleanup();
      }
    }
  });
});
