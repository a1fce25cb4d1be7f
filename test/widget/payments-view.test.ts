import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { Receipt } from '../../widget/shopper-api.ts';
import { PaykeyPayments } from '../../widget/frame/payments/paykey-payments.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { activeElement, assertAccessible, byRole, cleanup, mount } from './support/dom.ts';
import { assertFitsNarrow, narrowLayouts, useLayout } from './support/narrow-layouts.ts';

const payment = (id: string, payee: string, createdAt: string, extra: Partial<Receipt> = {}): Receipt => ({
  paymentIntentId: id,
  reference: `ch_${id}`,
  payee,
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
  createdAt,
  settledAt: createdAt,
  offer: null,
  category: 'other',
  ...extra,
});

const coffee = payment('pi_coffee', 'Coffee Shop', '2026-12-01T09:30:00.000Z', {
  fee: 38,
  fx: { rate: '7.1234', source: 'Lotus Bank treasury' },
  debit: { amount: 18079, currency: 'CNY', currencyDigits: 2 },
});
const tea = payment('pi_tea', 'Longjing Tea House', '2026-11-28T16:00:00.000Z', { amount: 18800, currency: 'CNY', status: 'failed' });
const books = payment('pi_books', 'Book Nook', '2026-11-30T12:00:00.000Z', { amount: 1200, currency: 'JPY', currencyDigits: 0, status: 'processing' });

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

const rows = (el: PaykeyPayments) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('li > button')];

async function paymentsScreen(props: Partial<PaykeyPayments>): Promise<PaykeyPayments> {
  return mount(Object.assign(new PaykeyPayments(), { timeZone: 'UTC', ...props }));
}

describe('paykey-payments', () => {
  afterEach(async () => {
    cleanup();
    useLayout(null);
    await setViewport({ width: 800, height: 600 });
  });

  it('lists payments newest first, each a button named payee, amount, status, date and fee', async () => {
    const el = await paymentsScreen({ payments: [tea, coffee, books] });
    assertAccessible(el);
    const h1 = el.shadowRoot!.querySelector('h1')!;
    equal(h1.textContent!.trim(), 'Payments');
    equal(h1.tabIndex, -1);
    const list = el.shadowRoot!.querySelector('ul')!;
    equal(list.getAttribute('role'), 'list', 'a list even without bullets');
    equal(list.querySelectorAll(':scope > li').length, 3);
    deepEqual(rows(el).map(spoken), [
      'Coffee Shop, $25.00, Paid, Dec 1, 2026, fee $0.38',
      'Book Nook, ¥1,200, Processing, Nov 30, 2026',
      'Longjing Tea House, CN¥188.00, Not completed, Nov 28, 2026',
    ]);
    equal(el.shadowRoot!.querySelector('.more'), null, 'no "Load more" without hasMore');
    await assertNoAxeViolations(el, 'payments en');
  });

  it('speaks Chinese with zh-CN amounts and dates', async () => {
    const el = await paymentsScreen({ payments: [tea, coffee], locale: 'zh-CN', hasMore: true });
    assertAccessible(el);
    equal(el.shadowRoot!.querySelector('h1')!.textContent!.trim(), '付款记录');
    deepEqual(rows(el).map(spoken), [
      'Coffee Shop, US$25.00, 已支付, 2026年12月1日, 手续费 US$0.38',
      'Longjing Tea House, ¥188.00, 未完成, 2026年11月28日',
    ]);
    byRole(el, 'button', '加载更多付款记录');
    byRole(el, 'button', '返回');
    await assertNoAxeViolations(el, 'payments zh-CN');
  });

  it('opens a receipt with a click, Enter or Space, reaching every row and "Load more" with Tab', async () => {
    const el = await paymentsScreen({ payments: [coffee, tea], hasMore: true });
    const opened: string[] = [];
    let more = 0;
    el.addEventListener('paykey-open-receipt', (e) => opened.push(e.detail.paymentIntentId));
    el.addEventListener('paykey-load-more', () => more++);
    rows(el)[1].click();
    deepEqual(opened, ['pi_tea']);

    el.shadowRoot!.querySelector('h1')!.focus();
    await sendKeys({ press: 'Tab' });
    equal(activeElement(el), rows(el)[0], 'Tab from the heading reaches the newest payment');
    ok(rows(el)[0].matches(':focus-visible'), 'with a visible focus');
    ok(getComputedStyle(rows(el)[0]).outlineStyle !== 'none', 'an outline is drawn');
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Tab' });
    equal(activeElement(el), rows(el)[1]);
    await sendKeys({ press: 'Space' });
    deepEqual(opened, ['pi_tea', 'pi_coffee', 'pi_tea']);
    await sendKeys({ press: 'Tab' });
    equal(activeElement(el), byRole(el, 'button', 'Load more payments'));
    await sendKeys({ press: 'Enter' });
    equal(more, 1);
  });

  it('loads more once at a time and moves the focus to the first older payment when it arrives', async () => {
    const el = await paymentsScreen({ payments: [coffee, books], hasMore: true });
    let more = 0;
    el.addEventListener('paykey-load-more', () => {
      more++;
      el.setAttribute('busy', ''); // as the wallet binds it: ?busy=${…}
    });
    const button = byRole(el, 'button', 'Load more payments');
    button.focus();
    button.click();
    await el.updateComplete;
    equal(more, 1);
    equal(button.getAttribute('aria-disabled'), 'true', 'busy while loading');
    equal(button.textContent!.trim(), 'Loading more payments…');
    equal(el.shadowRoot!.querySelector('p[role=status]')!.textContent!.trim(), 'Loading more payments…', 'announced');
    button.click();
    equal(more, 1, 'a second press while loading asks for nothing');

    Object.assign(el, { payments: [coffee, books, tea], hasMore: false, busy: false });
    await el.updateComplete;
    equal(rows(el).length, 3);
    equal(activeElement(el), rows(el)[2], 'focus on the first payment of the new page');
    equal(spoken(rows(el)[2]).startsWith('Longjing Tea House'), true);
    equal(el.shadowRoot!.querySelector('.more'), null, 'no more to load');
  });

  it('leaves the focus alone when the next page did not come', async () => {
    const el = await paymentsScreen({ payments: [coffee, books], hasMore: true });
    el.addEventListener('paykey-load-more', () => (el.busy = true));
    const button = byRole(el, 'button', 'Load more payments');
    button.focus();
    button.click();
    await el.updateComplete;
    el.busy = false;
    await el.updateComplete;
    equal(button.getAttribute('aria-disabled'), 'false', 'Load more is back');
    equal(button.textContent!.trim(), 'Load more payments');
    equal(el.shadowRoot!.querySelector('p[role=status]')!.textContent!.trim(), '');
    el.payments = [coffee, books, tea];
    await el.updateComplete;
    equal(activeElement(el), button, 'a later list change does not steal the focus');
  });

  it('announces loading, then shows an empty state', async () => {
    const el = await paymentsScreen({});
    equal(el.shadowRoot!.querySelector('[role=status]')!.textContent!.trim(), 'Loading your payments…');
    await assertNoAxeViolations(el, 'payments loading');
    Object.assign(el, { payments: [], hasMore: true });
    await el.updateComplete;
    ok(el.shadowRoot!.textContent!.includes('You have no payments yet.'));
    equal(el.shadowRoot!.querySelector('ul'), null);
    equal(el.shadowRoot!.querySelector('.more'), null, 'nothing to load more of');
    await assertNoAxeViolations(el, 'payments empty');
  });

  it('goes back with Back', async () => {
    const el = await paymentsScreen({ payments: [coffee] });
    let backs = 0;
    el.addEventListener('paykey-back', () => backs++);
    const back = byRole(el, 'button', 'Back');
    back.focus();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Space' });
    equal(backs, 2);
  });

  it('fits 320 px without horizontal scrolling, with 44×44 px targets: both languages, larger text, rtl', async () => {
    await setViewport({ width: 320, height: 800 });
    const long = payment('pi_long', 'The Extremely Long Named Independent Coffee Roastery and Bakery', '2026-12-01T09:30:00.000Z', { amount: 123456789, fee: 1851852 });
    for (const layout of narrowLayouts) {
      const label = useLayout(layout);
      const el = await paymentsScreen({ payments: [long, coffee, tea], hasMore: true, locale: layout.locale });
      assertFitsNarrow(el, label);
      await assertNoAxeViolations(el, `payments at 320 px, ${label}`);
      cleanup();
    }
  });
});
