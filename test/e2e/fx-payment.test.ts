/**
 * What you see is what you sign, end to end on the demo in real Chromium: a Lotus Bank (CNY) card pays the shop's
 * US-dollar tee. The confirm screen shows the rate as `1 USD = 7.1234 CNY`, its source, the fee and the yuan
 * debited; Lotus Bank's ledger (read over HTTP with the bank's own key) then holds exactly one charge of exactly that
 * debit, in CNY, naming its quote; the receipt repeats the same figures, and the wallet's Payments view lists the
 * payment first and opens that receipt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import type { PaymentListResponse, PaymentTerms, QuoteResponse } from '../../widget/shopper-api.ts';
import { closeDemoInChromium, startDemoInChromium } from './demo-in-chromium.ts';
import type { DemoStack } from './demo-stack.ts';
import {
  addCard,
  bankCharges,
  checkout,
  createPasskey,
  formatMoney,
  lotusBank,
  pressPay,
  retrieveIntent,
  waitForEvent,
} from './demo-shop-driver.ts';
import { frameText, recordSessionTokens, waitInFrame } from './wallet-frame-probe.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

let stack: DemoStack;
let browser: Browser;

before(async () => ({ stack, browser } = await startDemoInChromium()));
after(() => closeDemoInChromium({ stack, browser }));

/** The tee: $19.99. */
const TEE = { amount: 1999, currency: 'USD' };
/** Lotus Bank's published terms for a card paying in another currency: its USD rate and a 1.5 % fee. */
const LOTUS_USD_RATE = '7.1234';
const CROSS_CURRENCY_BASIS_POINTS = 150n;

/** `a * b / c` rounded half up, in integers. */
const roundHalfUp = (a: bigint, b: bigint, c: bigint) => Number((a * b * 2n + c) / (2n * c));

/** Every `POST /api/frame/quotes` answer the page's frame received, oldest first. */
function recordQuotes(stack: DemoStack, page: Page): PaymentTerms[] {
  const terms: PaymentTerms[] = [];
  page.on('response', (response) => {
    if (response.url() === `${stack.walletUrl}/api/frame/quotes` && response.status() === 200) {
      void response.json().then((body: QuoteResponse) => terms.push(body.terms));
    }
  });
  return terms;
}

async function waitForTerms(terms: PaymentTerms[], predicate: (t: PaymentTerms) => boolean): Promise<PaymentTerms> {
  for (let i = 0; i < 200; i++) {
    const found = terms.findLast(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`expected the frame to fetch payment terms (POST /api/frame/quotes); it received ${JSON.stringify(terms)}`);
}

/** Fails unless every figure is on the frame's current screen. */
async function assertShows(frame: Frame, figures: string[], where: string) {
  for (const figure of figures) {
    await frame.getByText(figure, { exact: false }).first().waitFor({ timeout: 5_000 }).catch(async () => {
      assert.fail(`expected ${where} to show ${JSON.stringify(figure)}; it shows:\n${await frameText(frame)}`);
    });
  }
}

describe('a Lotus Bank CNY card pays a USD intent', () => {
  let context: BrowserContext;
  let page: Page;
  let quotes: PaymentTerms[];
  let session: { latest(): string };
  let teaIntentId: string;

  before(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await addVirtualAuthenticator(page);
    quotes = recordQuotes(stack, page);
    session = recordSessionTokens(stack, page);

    // An earlier payment by the same shopper (yuan with the yuan card: no conversion), so the Payments view has two.
    const tea = await checkout(stack, context, 'Buy Longjing Tea 龙井茶', 'en');
    teaIntentId = tea.paymentIntentId;
    await createPasskey(tea.frame, `fx-${Date.now()}@example.com`);
    await addCard(tea.frame, '5555 5555 5555 4444');
    await pressPay(tea.frame.getByRole('button', { name: /^Pay / }));
    await waitForEvent(tea.page, 'paykey-success');
  });
  after(() => context?.close());

  /** What the first test paid and showed, for the Payments view after it. */
  let paid: { frame: Frame; amount: string; fee: string; receiptFigures: string[] } | undefined;

  it('the confirm screen shows 1 USD = 7.1234 CNY, its source, the fee and the CNY debit; Lotus is charged exactly that; the receipt repeats them', async () => {
    const { frame, paymentIntentId } = await checkout(stack, context, 'Buy Paykey Tee', 'en');
    await frame.getByRole('radio', { name: /4444/ }).waitFor();

    // The terms the frame was quoted, checked against Lotus Bank's published rate and fee.
    const terms = await waitForTerms(quotes, (t) => t.amount === TEE.amount && t.currency === TEE.currency);
    const fee = roundHalfUp(BigInt(TEE.amount), CROSS_CURRENCY_BASIS_POINTS, 10_000n);
    const [whole, fraction] = LOTUS_USD_RATE.split('.');
    // USD and CNY both have 2 minor-unit digits: fen per cent is the rate itself.
    const debit = roundHalfUp(BigInt(TEE.amount + fee), BigInt(whole + fraction), 10n ** BigInt(fraction.length));
    assert.equal(terms.fee, fee, 'the fee is 1.5 % of the amount');
    assert.deepEqual(terms.fx, { rate: LOTUS_USD_RATE, source: 'Lotus Bank treasury' });
    assert.deepEqual(terms.debit, { amount: debit, currency: 'CNY', currencyDigits: 2 });
    assert.ok(Date.parse(terms.expiresAt) > Date.now(), 'the quote is still good');

    // What the shopper reads before signing.
    const shown = {
      rate: `1 USD = ${LOTUS_USD_RATE} CNY`,
      source: 'Lotus Bank treasury',
      fee: formatMoney(fee, 'USD', 'en'),
      debit: formatMoney(debit, 'CNY', 'en'),
      amount: formatMoney(TEE.amount, 'USD', 'en'),
    };
    await assertShows(frame, Object.values(shown), 'the confirm screen');
    await pressPay(frame.getByRole('button', { name: /^Pay / }));
    await waitForEvent(page, 'paykey-success');
    assert.equal((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');

    // Lotus Bank's own ledger: one charge, exactly the debit shown, in yuan, naming the quote it used.
    const charges = await bankCharges(stack, paymentIntentId, lotusBank(stack));
    assert.equal(charges.length, 1, `exactly one charge at Lotus Bank, found ${JSON.stringify(charges)}`);
    const [charge] = charges;
    assert.deepEqual([charge.status, charge.amount, charge.currency], ['approved', debit, 'CNY']);
    assert.match(String(charge.fx_quote_id), /\S/, 'the charge names the quote it used');
    assert.deepEqual(await bankCharges(stack, paymentIntentId), [], 'nothing at the sandbox bank');

    // The receipt after paying: the same figures, and the bank's reference.
    const receiptFigures = [shown.rate, shown.source, shown.fee, shown.debit, shown.amount, charge.reference];
    await openReceiptAfterPaying(frame);
    await assertShows(frame, receiptFigures, 'the receipt');

    // Payments, newest first, from the server and on screen; the newest opens the same receipt.
    const listed = await fetch(`${stack.walletUrl}/api/frame/payments`, { headers: { authorization: `Bearer ${session.latest()}` } });
    assert.equal(listed.status, 200);
    const { payments } = (await listed.json()) as PaymentListResponse;
    assert.deepEqual(payments.map((p) => p.paymentIntentId), [paymentIntentId, teaIntentId], 'newest first');
    assert.deepEqual([payments[0].fee, payments[0].fx, payments[0].debit.amount], [fee, terms.fx, debit]);

    paid = { frame, amount: shown.amount, fee: shown.fee, receiptFigures };
  });

  it(
    'the Payments view, opened after paying, lists the tee then the tea (newest first, with the fee) and opens the receipt',
    async () => {
      assert.ok(paid, 'the payment above went through');
      const { frame, receiptFigures } = paid;
      await frame.getByRole('button', { name: 'Back' }).click();
      await frame.getByRole('button', { name: 'Payments' }).click();
      await waitInFrame(frame, frame.getByRole('heading', { name: 'Payments', level: 1 }), 'the Payments view');
      // Each payment is a button named after it: payee, amount, status, date, fee.
      const rows = frame.getByRole('button', { name: /^Demo Shop/ });
      await rows.first().waitFor();
      assert.equal(await rows.count(), 2, 'both payments listed');
      assert.match((await rows.nth(0).innerText()).replace(/\s+/g, ' '), new RegExp(escapeRegExp(paid.amount)), 'the tee first');
      assert.match((await rows.nth(0).innerText()).replace(/\s+/g, ' '), new RegExp(escapeRegExp(paid.fee)), 'with its fee');
      assert.match((await rows.nth(1).innerText()).replace(/\s+/g, ' '), new RegExp(escapeRegExp(formatMoney(6800, 'CNY', 'en'))), 'then the tea');
      await rows.nth(0).click();
      await waitInFrame(frame, frame.getByRole('heading', { name: 'Receipt', level: 1 }), 'the receipt');
      await assertShows(frame, receiptFigures, 'the receipt opened from Payments');
  },
  );
});

/** The result screen's "View receipt". */
async function openReceiptAfterPaying(frame: Frame) {
  await frame.getByRole('heading', { name: 'Payment complete' }).waitFor();
  await frame.getByRole('button', { name: 'View receipt' }).click();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
