/**
 * The wallet with its flow over a fake backend: a receipt's "Refresh" re-reads `GET /payments/:id` (cashback moves
 * from expected to credited while the receipt is open), and Payments shows the spending summary from
 * `GET /spending-summary` — or none when it cannot be had.
 */
import type { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import { SUMMARY_WAIT_MS } from '../../widget/frame/app/shopper-views.ts';
import '../../widget/frame/app/paykey-wallet.ts';
import { clearWallet, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import type { Receipt, SpendingSummaryResponse } from '../../widget/shopper-api.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { byRole, cleanup, mount, pressable } from './support/dom.ts';
import { ApiFailure, Deferred, installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { visa4242 } from './support/fixtures.ts';

const shopper = { id: 'sh_1', email: 'ada@example.com' };
const session = { sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper, cards: [visa4242] };

const expected: Receipt = {
  paymentIntentId: 'pi_test1',
  reference: 'ch_ref_1',
  payee: 'Demo Shop',
  description: 'Paykey Tee',
  status: 'succeeded',
  amount: 2000,
  currency: 'USD',
  currencyDigits: 2,
  fee: 0,
  fx: null,
  debit: { amount: 2000, currency: 'USD', currencyDigits: 2 },
  card: { bank: 'sandbox', brand: 'visa', last4: '4242', bankName: { en: 'Sandbox Bank' } },
  payByBank: null,
  createdAt: '2026-12-01T14:05:00Z',
  settledAt: '2026-12-01T14:05:01Z',
  offer: {
    offerId: 'sandbox-cashback-5',
    kind: 'cashback',
    title: '5% cashback up to $10',
    personalized: false,
    value: { kind: 'cashback', cashback: 100, expectedBy: '2026-12-03T12:00:00Z' },
    effect: { charged: 2000, dueNow: 2000, comesBackLater: 100, planFees: 0 },
    status: 'applied',
    cashback: { amount: 100, expectedBy: '2026-12-03T12:00:00Z', creditedAt: null },
  },
  category: 'groceries',
};
const creditedAt = '2026-12-01T14:06:30Z';
const credited: Receipt = { ...expected, offer: { ...expected.offer!, cashback: { ...expected.offer!.cashback!, creditedAt } } };

const summary: SpendingSummaryResponse = {
  month: '2026-12',
  method: 'linear_daily_average',
  daysElapsed: 10,
  daysInMonth: 31,
  totals: [{ currency: 'USD', currencyDigits: 2, spent: 2000, projected: 6200, byCategory: [{ category: 'groceries', amount: 2000 }] }],
};

describe('paykey-wallet: refreshing a receipt, and the spending summary on Payments', () => {
  let backend: ReturnType<typeof installFakeBackend>;

  beforeEach(() => clearWallet());
  afterEach(async () => {
    cleanup();
    await clearWallet();
  });

  async function returning(routes: Record<string, unknown>): Promise<PaykeyWallet> {
    backend = installFakeBackend({ '/sessions': session, ...routes });
    await writeWallet(shopper, [visa4242]);
    const wallet = await mount(walletOn(backend));
    backend.init();
    await until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen');
    return wallet;
  }
  const screenOf = <K extends keyof HTMLElementTagNameMap>(wallet: PaykeyWallet, tag: K) => until(() => wallet.shadowRoot!.querySelector(tag), tag);
  const dd = (el: Element, term: string) =>
    [...el.shadowRoot!.querySelectorAll('dl > div')].find((row) => row.querySelector('dt')!.textContent!.trim() === term)?.querySelector('dd')?.textContent?.replace(/\s+/g, ' ').trim();

  it('after paying, the receipt shows cashback expected; Refresh re-reads it with the session and shows it credited', async () => {
    let reads = 0;
    const wallet = await returning({
      '/confirmations': { paymentIntentId: 'pi_test1', status: 'succeeded', lastError: null, receipt: expected, session: { sessionToken: 'st_pay', expiresAt: '2099-01-01T00:00:00Z' } },
      'GET /payments/pi_test1': () => ({ receipt: ++reads === 1 ? expected : credited }),
    });
    (await pressable(wallet, /^Pay /)).click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    await screenOf(wallet, 'paykey-result');
    (await pressable(wallet, 'View receipt')).click();
    const receipt = await screenOf(wallet, 'paykey-receipt');
    await receipt.updateComplete;
    ok(dd(receipt, 'Sandbox Bank offer')!.startsWith('$1.00 cashback — expected by'), dd(receipt, 'Sandbox Bank offer'));

    // Not credited yet on the first read: still expected, Refresh still offered.
    byRole(receipt, 'button', 'Refresh').click();
    await until(() => reads === 1 && !wallet.shadowRoot!.querySelector('paykey-receipt')!.busy, 'the first refresh');
    equal(backend.requests.filter((r) => r.path === '/payments/pi_test1')[0].headers.get('authorization'), 'Bearer st_pay');
    ok(dd(receipt, 'Sandbox Bank offer')!.startsWith('$1.00 cashback — expected by'));

    byRole(receipt, 'button', 'Refresh').click();
    await until(() => dd(receipt, 'Sandbox Bank offer')?.includes('credited'), 'the credited cashback');
    equal(reads, 2, 'read once per press, never polled');
    equal(receipt.shadowRoot!.querySelector('button.refresh'), null, 'nothing left to refresh');
    equal(receipt.shadowRoot!.querySelector('[role=status]')!.textContent!.trim(), 'Receipt updated');
    await new Promise((r) => setTimeout(r, 300));
    equal(reads, 2, 'no request by itself');
    await assertNoAxeViolations(receipt, 'refreshed receipt in the wallet');
  });

  it('Payments shows the summary with the session; a failed summary shows the list without it; a refreshed receipt updates the list', async () => {
    let summaryAnswer: unknown = summary;
    const wallet = await returning({
      'GET /payments?limit=20': { payments: [expected], hasMore: false },
      'GET /spending-summary': () => summaryAnswer,
      'GET /payments/pi_test1': { receipt: credited },
    });
    byRole(wallet, 'button', 'Payments').click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    const payments = await screenOf(wallet, 'paykey-payments');
    await until(() => payments.shadowRoot!.querySelector('section.summary'), 'the summary');
    equal(
      payments.shadowRoot!.querySelector('section.summary p')!.textContent!.replace(/\s+/g, ' ').trim(),
      'This month: $20.00 — Groceries $20.00. Projected by Dec 31: $62.00 (your daily average so far × days in the month).',
    );
    equal(backend.requests.find((r) => r.path === '/spending-summary')!.headers.get('authorization'), 'Bearer st_1');

    payments.dispatchEvent(new CustomEvent('paykey-open-receipt', { detail: { paymentIntentId: 'pi_test1' }, bubbles: true, composed: true }));
    const receipt = await screenOf(wallet, 'paykey-receipt');
    await receipt.updateComplete;
    byRole(receipt, 'button', 'Refresh').click();
    await until(() => dd(receipt, 'Sandbox Bank offer')?.includes('credited'), 'the credited cashback');
    receipt.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
    await screenOf(wallet, 'paykey-payments');
    deepEqual(
      wallet.shadowRoot!.querySelector('paykey-payments')!.payments!.map((p) => p.offer?.cashback?.creditedAt),
      [creditedAt],
      'the list keeps the newer copy',
    );

    // Back to checkout, then Payments again with the summary failing: the list alone, no alert.
    wallet.shadowRoot!.querySelector('paykey-payments')!.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
    await screenOf(wallet, 'paykey-confirm');
    summaryAnswer = new ApiFailure(429, 'rate_limited', 'Too many requests.');
    byRole(wallet, 'button', 'Payments').click();
    const again = await screenOf(wallet, 'paykey-payments');
    await until(() => backend.requests.filter((r) => r.path === '/spending-summary').length === 2, 'the second summary request');
    await again.updateComplete;
    equal(again.shadowRoot!.querySelector('section.summary'), null, 'no summary, and never the previous one');
    equal(again.payments!.length, 1);
  });

  it('the payments never move under the pointer: a summary slower than the list comes with it, one slower than the wait never comes', async () => {
    let answer = new Deferred<unknown>();
    const wallet = await returning({
      'GET /payments?limit=20': { payments: [expected, { ...expected, paymentIntentId: 'pi_test2' }], hasMore: false },
      'GET /spending-summary': () => answer.promise,
    });
    const rowTops = (payments: Element) => Array.from(payments.shadowRoot!.querySelectorAll('button.payment'), (row) => Math.round(row.getBoundingClientRect().top));
    byRole(wallet, 'button', 'Payments').click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    await until(() => backend.requests.some((r) => r.path === '/spending-summary'), 'the summary asked for');
    await new Promise((r) => setTimeout(r, 300));
    ok(!wallet.shadowRoot!.querySelector('paykey-payments'), 'the list waits for the summary (300 ms late so far), but it showed');
    answer.resolve(summary);
    const payments = await screenOf(wallet, 'paykey-payments');
    await payments.updateComplete;
    ok(payments.shadowRoot!.querySelector('section.summary'), 'the summary came with the list');
    const tops = rowTops(payments);
    equal(tops.length, 2);
    await new Promise((r) => setTimeout(r, 100));
    deepEqual(rowTops(payments), tops, 'the rows stay');

    // Again, with a summary that never answers: the list after the wait, without it, and nothing inserted later.
    payments.dispatchEvent(new CustomEvent('paykey-back', { bubbles: true, composed: true }));
    await screenOf(wallet, 'paykey-confirm');
    answer = new Deferred<unknown>();
    const asked = Date.now();
    byRole(wallet, 'button', 'Payments').click();
    const again = await screenOf(wallet, 'paykey-payments');
    await again.updateComplete;
    ok(Date.now() - asked >= SUMMARY_WAIT_MS - 50, `shown after the wait of ${SUMMARY_WAIT_MS} ms, not before`);
    equal(again.shadowRoot!.querySelector('section.summary'), null, 'no summary, and never the previous one');
    const withoutSummary = rowTops(again);
    answer.resolve(summary);
    await new Promise((r) => setTimeout(r, 200));
    await again.updateComplete;
    equal(again.shadowRoot!.querySelector('section.summary'), null, 'the late summary is not inserted above the rows');
    deepEqual(rowTops(again), withoutSummary, 'the rows stay');
  });
});
