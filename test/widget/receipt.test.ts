import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { BankBrandView, Receipt } from '../../widget/shopper-api.ts';
import { loadMessages } from '../../widget/frame/i18n/messages.ts';
import { PaykeyReceipt } from '../../widget/frame/receipt/paykey-receipt.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { activeElement, assertAccessible, byRole, cleanup, mount } from './support/dom.ts';
import { assertFitsNarrow, narrowLayouts, useLayout } from './support/narrow-layouts.ts';

/** A Lotus Bank CNY card paying a USD intent: 1.5 % fee, 1 USD = 7.1234 CNY, debit round(2538 × 7.1234) = 18079 fen. */
const fxReceipt: Receipt = {
  paymentIntentId: 'pi_fx1',
  reference: 'ch_lotus_8f2a',
  payee: 'Coffee Shop',
  description: 'Flat white',
  status: 'succeeded',
  amount: 2500,
  currency: 'USD',
  currencyDigits: 2,
  fee: 38,
  fx: { rate: '7.1234', source: 'Lotus Bank treasury' },
  debit: { amount: 18079, currency: 'CNY', currencyDigits: 2 },
  card: { bank: 'lotus', brand: 'mastercard', last4: '4444', bankName: { en: 'Lotus Bank', 'zh-CN': '莲花银行' } },
  payByBank: null,
  createdAt: '2026-12-01T14:05:00.000Z',
  settledAt: '2026-12-01T14:05:03.000Z',
  offer: null,
  category: 'dining',
};

const plainReceipt: Receipt = {
  ...fxReceipt,
  paymentIntentId: 'pi_plain',
  reference: 'ch_sandbox_77',
  description: null,
  status: 'failed',
  amount: 1999,
  fee: 0,
  fx: null,
  debit: { amount: 1999, currency: 'USD', currencyDigits: 2 },
  card: { bank: 'sandbox', brand: 'visa', last4: '4242', bankName: { en: 'Sandbox Bank' } },
};

const lotusBrand: BankBrandView = {
  id: 'lotus',
  name: { en: 'Lotus Bank', 'zh-CN': '莲花银行' },
  logo: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=',
  colors: { primary: '#8a1538', onPrimary: '#ffffff', accent: '#a15c00', background: '#ffffff', text: '#1a1d24', border: '#6b6f7b' },
  radius: '12px',
  fontStack: "'Noto Sans SC', system-ui, sans-serif",
  support: { phone: '+86 400 000 0000' },
};

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

/** What is seen of `node`: its text without the visually hidden parts. */
function seen(node: Node): string {
  const parts: string[] = [];
  const visit = (n: Node) => {
    if (n instanceof Element && n.classList.contains('visually-hidden')) return;
    if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent ?? '');
    n.childNodes.forEach(visit);
  };
  visit(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** The receipt's term → description pairs, as read out. */
function fields(el: PaykeyReceipt): Record<string, string> {
  return Object.fromEntries([...el.shadowRoot!.querySelectorAll('dl > div')].map((row) => [spoken(row.querySelector('dt')!), spoken(row.querySelector('dd')!)]));
}

async function receiptScreen(props: Partial<PaykeyReceipt>): Promise<PaykeyReceipt> {
  return mount(Object.assign(new PaykeyReceipt(), { timeZone: 'UTC', ...props }));
}

describe('paykey-receipt', () => {
  afterEach(async () => {
    cleanup();
    useLayout(null);
    await setViewport({ width: 800, height: 600 });
  });

  it('shows an exchange-rate payment in English: amount, fee, rate and source, debit, card, time, reference, status', async () => {
    const el = await receiptScreen({ receipt: fxReceipt, locale: 'en' });
    assertAccessible(el);
    const h1 = el.shadowRoot!.querySelector('h1')!;
    equal(h1.textContent!.trim(), 'Receipt');
    equal(h1.tabIndex, -1, 'the wallet can focus the heading; it is not a Tab stop');
    deepEqual(fields(el), {
      'Paid to': 'Coffee Shop',
      For: 'Flat white',
      Status: 'Paid',
      Amount: '$25.00',
      Fee: '$0.38',
      'Exchange rate': '1 USD = 7.1234 CNY Rate from Lotus Bank treasury',
      'Amount debited': 'CN¥180.79',
      Card: 'Mastercard ending in 4444 Lotus Bank',
      Time: 'Dec 1, 2026, 2:05 PM',
      Reference: 'ch_lotus_8f2a',
    });
    const card = [...el.shadowRoot!.querySelectorAll('dl > div')].find((row) => spoken(row.querySelector('dt')!) === 'Card')!;
    equal(seen(card.querySelector('dd')!), 'Mastercard •••• 4444 Lotus Bank', 'the card is masked on screen');
    await assertNoAxeViolations(el, 'receipt en');
  });

  it('shows the same receipt in Chinese, with the bank name and dates of zh-CN', async () => {
    const el = await receiptScreen({ receipt: fxReceipt, locale: 'zh-CN', messages: await loadMessages('zh-CN') });
    assertAccessible(el);
    equal(el.shadowRoot!.querySelector('h1')!.textContent!.trim(), '收据');
    deepEqual(fields(el), {
      收款方: 'Coffee Shop',
      商品: 'Flat white',
      状态: '已支付',
      金额: 'US$25.00',
      手续费: 'US$0.38',
      汇率: '1 USD = 7.1234 CNY 汇率来源：Lotus Bank treasury',
      扣款金额: '¥180.79',
      银行卡: 'Mastercard，尾号 4444 莲花银行',
      时间: '2026年12月1日 14:05',
      参考编号: 'ch_lotus_8f2a',
    });
    equal(byRole(el, 'button', '返回').localName, 'button');
    await assertNoAxeViolations(el, 'receipt zh-CN');
  });

  it('says "None" for no fee and shows no exchange rate when the card paid in the payment currency', async () => {
    const el = await receiptScreen({ receipt: plainReceipt });
    const f = fields(el);
    equal(f.Fee, 'None');
    equal(f['Exchange rate'], undefined, 'no rate row');
    equal(f['Amount debited'], '$19.99');
    equal(f.Status, 'Not completed');
    equal(f.For, undefined, 'no description row without a description');
    equal(f.Card, 'Visa ending in 4242 Sandbox Bank');
  });

  it('names the bank for a payment by bank instead of a card', async () => {
    const el = await receiptScreen({ receipt: { ...plainReceipt, status: 'processing', card: null, payByBank: { en: 'Meridian Bank', 'zh-CN': '子午银行' } }, locale: 'zh-CN' });
    const f = fields(el);
    equal(f['银行转账付款'], '子午银行');
    equal(f['银行卡'], undefined);
    equal(f['状态'], '处理中');
  });

  it('announces loading until the receipt arrives', async () => {
    const el = await receiptScreen({});
    const status = el.shadowRoot!.querySelector('[role=status]')!;
    equal(status.textContent!.trim(), 'Loading the receipt…');
    await assertNoAxeViolations(el, 'receipt loading');
    el.receipt = fxReceipt;
    await el.updateComplete;
    equal(el.shadowRoot!.querySelector('[role=status]')?.textContent?.trim(), '', 'the loading status is gone (the empty one announces a refresh later)');
    equal(fields(el).Amount, '$25.00');
  });

  it('goes back with a click, or from the keyboard with Enter or Space, with a visible focus', async () => {
    const el = await receiptScreen({ receipt: fxReceipt });
    let backs = 0;
    el.addEventListener('paykey-back', () => backs++);
    const back = byRole(el, 'button', 'Back');
    back.click();
    equal(backs, 1);
    el.shadowRoot!.querySelector('h1')!.focus();
    await sendKeys({ press: 'Shift+Tab' });
    equal(activeElement(el), back, 'Shift+Tab from the heading reaches Back');
    ok(back.matches(':focus-visible'), 'keyboard focus is visible');
    const ring = getComputedStyle(back);
    ok(ring.outlineStyle !== 'none' && parseFloat(ring.outlineWidth) >= 2, `a focus outline is drawn (${ring.outlineStyle} ${ring.outlineWidth})`);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Space' });
    equal(backs, 3, 'Enter and Space press Back');
  });

  it('takes the card bank’s brand through the --paykey-* properties', async () => {
    const el = await receiptScreen({ receipt: fxReceipt, brand: lotusBrand });
    equal(getComputedStyle(el).getPropertyValue('--paykey-color-primary').trim(), '#8a1538');
    equal(getComputedStyle(el).getPropertyValue('--paykey-radius').trim(), '12px');
    el.brand = { ...lotusBrand, colors: { ...lotusBrand.colors, text: '#aaaaaa' } };
    await el.updateComplete;
    equal(getComputedStyle(el).getPropertyValue('--paykey-color-primary').trim(), '', 'a brand failing contrast is refused, not half applied');
    await assertNoAxeViolations(el, 'receipt after a refused brand');
  });

  it('fits 320 px without horizontal scrolling, with 44×44 px targets: both languages, larger text, rtl', async () => {
    await setViewport({ width: 320, height: 800 });
    const long = { ...fxReceipt, payee: 'The Extremely Long Named Independent Coffee Roastery', reference: 'ch_lotus_8f2a9c7d6e5b4a39281706f5e4d3c2b1a0' };
    for (const layout of narrowLayouts) {
      const label = useLayout(layout);
      const el = await receiptScreen({ receipt: long, locale: layout.locale, messages: await loadMessages(layout.locale), brand: lotusBrand });
      assertFitsNarrow(el, label);
      await assertNoAxeViolations(el, `receipt at 320 px, ${label}`);
      cleanup();
    }
  });
});
