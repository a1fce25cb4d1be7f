/**
 * The wallet once the shopper has confirmed, or when it opens on a payment that is not waiting for them: an outcome the
 * bank has not given yet (`processing`, `requires_review`), an outcome that arrives later, and a merchant's cancel.
 */
import { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import { clearWallet, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import type { PaymentStatus } from '../../widget/shopper-api.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { activeElement, assertAccessible, byRole, cleanup, description, mount, pressable } from './support/dom.ts';
import { ApiFailure, installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { checkoutView, visa4242 } from './support/fixtures.ts';
import { flowTiming } from '../../widget/frame/app/flow-timing.ts';

const shopper = { id: 'sh_1', email: 'ada@example.com' };
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const answer = (status: PaymentStatus, lastError: { code: string; message: string } | null = null) => ({
  paymentIntentId: checkoutView.paymentIntentId, status, lastError,
});
/** `/checkout` answering each status in turn, then the last one for ever. */
const checkoutSaying = (...statuses: PaymentStatus[]) => () => ({ ...checkoutView, status: statuses.length > 1 ? statuses.shift()! : statuses[0] });

describe('paykey-wallet: outcome not known yet, or canceled', () => {
  let backend: ReturnType<typeof installFakeBackend>;

  beforeEach(async () => {
    await clearWallet();
    // Quick polls 10 ms apart, then a watch doubling from 10 ms to 40 ms for at most 2 s.
    PaykeyWallet.timing = { ...flowTiming, quickTries: 2, quickEvery: 10, watchFrom: 10, watchMax: 40, watchFor: 2000 };
  });
  afterEach(async () => {
    cleanup();
    backend.restore();
    PaykeyWallet.timing = undefined;
    await clearWallet();
  });

  const messages = (type: string) => backend.posted.filter((m) => m.type === type);
  const regions = (wallet: PaykeyWallet) => ({
    alert: wallet.shadowRoot!.querySelector('main > [role=alert]')!,
    status: wallet.shadowRoot!.querySelector('main > [role=status]')!,
  });
  /** The checkout's buttons: every one but the shopper's own wallet menu (Payments, Manage cards, Sign out) and the Larger text setting. */
  const buttons = (wallet: PaykeyWallet) => {
    const all = [...wallet.shadowRoot!.querySelectorAll('button:not(nav button)')];
    for (const screen of wallet.shadowRoot!.querySelectorAll('main > :not(paykey-larger-text)')) all.push(...(screen.shadowRoot?.querySelectorAll('button') ?? []));
    return all.map((b) => text(b));
  };

  /** Opens the wallet on a returning shopper's device (cached card, so the confirm screen comes at once). */
  async function open(routes: Record<string, unknown>) {
    backend = installFakeBackend(routes);
    await writeWallet(shopper, [visa4242]);
    const wallet = await mount(walletOn(backend));
    backend.init();
    return wallet;
  }

  /** Pays with the cached card: Pay, then the passkey. */
  async function pay(wallet: PaykeyWallet) {
    const confirm = await until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen');
    (await pressable(confirm, /^Pay \$19\.99/)).click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
  }

  async function pendingScreen(wallet: PaykeyWallet) {
    const screen = await until(() => wallet.shadowRoot!.querySelector('paykey-pending'), 'the pending screen');
    await screen.updateComplete;
    await wallet.updateComplete;
    return screen;
  }

  it('says the bank is confirming, tells the merchant page once, and keeps the shopper from paying again', async () => {
    const wallet = await open({ '/confirmations': answer('processing'), '/checkout': checkoutSaying('requires_confirmation', 'processing') });
    await pay(wallet);
    const screen = await pendingScreen(wallet);
    assertAccessible(wallet);
    const heading = screen.shadowRoot!.querySelector('h1')!;
    equal(text(heading), 'Your bank is confirming this payment');
    equal(description(heading), 'This can take a few minutes. Please do not pay again. Demo Shop will confirm the outcome with you.');
    await until(() => activeElement(wallet) === heading, 'the heading to take focus');
    equal(text(regions(wallet).status), 'Waiting for your bank’s answer…');
    equal(text(regions(wallet).alert), '');
    deepEqual(buttons(wallet), [], 'no Pay, no Cancel, nothing to press');
    deepEqual(messages('processing'), [{ paykey: 1, type: 'processing', paymentIntentId: 'pi_test1', status: 'processing' }]);

    // The watch goes on in the background, and tells the merchant page nothing more while nothing changes.
    const polls = backend.calls['/checkout'];
    await until(() => backend.calls['/checkout'] >= polls + 3, 'more polls');
    equal(messages('processing').length, 1, 'processing is sent once');
    deepEqual(backend.posted.filter((m) => m.type === 'success' || m.type === 'error'), []);
    equal(backend.calls['/confirmations'], 1);
  });

  it('shows the real outcome when the bank answers while the frame is still open', async () => {
    const wallet = await open({
      '/confirmations': answer('processing'),
      // Load, two quick polls, two watch polls: still processing; then paid.
      '/checkout': checkoutSaying('requires_confirmation', 'processing', 'processing', 'processing', 'processing', 'succeeded'),
    });
    await pay(wallet);
    await pendingScreen(wallet);
    const result = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await result.updateComplete;
    await wallet.updateComplete;
    const heading = result.shadowRoot!.querySelector('h1')!;
    equal(text(heading), 'Payment complete');
    equal(description(heading), '$19.99 paid to Demo Shop.');
    await until(() => activeElement(wallet) === heading, 'the heading to take focus');
    equal(text(regions(wallet).status), '', 'no longer waiting');
    deepEqual(backend.posted.filter((m) => m.type !== 'resize').map((m) => m.type), ['loaded', 'ready', 'processing', 'success']);
    deepEqual(messages('success')[0], { paykey: 1, type: 'success', paymentIntentId: 'pi_test1', status: 'succeeded' });
    const polls = backend.calls['/checkout'];
    await new Promise((r) => setTimeout(r, 100));
    equal(backend.calls['/checkout'], polls, 'the watch stopped');
  });

  it('reports a decline that arrives in the background, with another card possible', async () => {
    const declined = { code: 'card_declined', message: 'Your card was declined.' };
    const wallet = await open({
      '/confirmations': answer('processing'),
      // Load, then processing until the fifth call, then declined.
      '/checkout': () => {
        const n = backend.calls['/checkout'];
        return { ...checkoutView, ...(n === 1 ? {} : n < 5 ? answer('processing') : answer('failed', declined)) };
      },
    });
    await pay(wallet);
    await pendingScreen(wallet);
    const result = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await result.updateComplete;
    equal(text(result.shadowRoot!.querySelector('h1')), 'Payment not completed');
    deepEqual(messages('error'), [{ paykey: 1, type: 'error', ...declined }]);
    byRole(result, 'button', 'Try another card');
  });

  it('says the payment is being checked for requires_review, and tells the merchant page with that status', async () => {
    const wallet = await open({ '/confirmations': answer('requires_review'), '/checkout': checkoutSaying('requires_confirmation', 'requires_review') });
    await pay(wallet);
    const screen = await pendingScreen(wallet);
    assertAccessible(wallet);
    const heading = screen.shadowRoot!.querySelector('h1')!;
    equal(text(heading), 'Your payment is being checked');
    equal(description(heading), 'The bank’s answer is being checked. This can take a while. Please do not pay again. Demo Shop will confirm the outcome with you.');
    equal(text(regions(wallet).status), 'Waiting for the check to finish…');
    deepEqual(messages('processing'), [{ paykey: 1, type: 'processing', paymentIntentId: 'pi_test1', status: 'requires_review' }]);
    deepEqual(buttons(wallet), []);
  });

  it('treats a lost poll as no news: the pending screen, never the Pay button again', async () => {
    const wallet = await open({
      '/confirmations': answer('processing'),
      '/checkout': () => {
        if (backend.calls['/checkout'] === 1) return checkoutView;
        throw new TypeError('Failed to fetch');
      },
    });
    await pay(wallet);
    await pendingScreen(wallet);
    equal(text(regions(wallet).alert), '');
    deepEqual(buttons(wallet), []);
    equal(messages('processing').length, 1);
  });

  // ——— The confirmation's answer is lost: the server may have started the attempt, so the frame asks before Pay. ———

  const networkError = () => {
    throw new TypeError('Failed to fetch');
  };
  const badGateway = new ApiFailure(502, 'http_502', 'Bad Gateway');
  const alreadyProcessing = new ApiFailure(409, 'payment_intent_unexpected_state', 'This payment is already being processed or complete');

  for (const [lost, confirmation, status] of [
    ['a network error', networkError, 'processing'],
    ['a 502', badGateway, 'requires_review'],
    ['409 payment_intent_unexpected_state', alreadyProcessing, 'processing'],
  ] as const) {
    it(`after ${lost} from /confirmations, shows the pending screen when /checkout says ${status}, never Pay`, async () => {
      const wallet = await open({ '/confirmations': confirmation, '/checkout': checkoutSaying('requires_confirmation', status) });
      await pay(wallet);
      const screen = await pendingScreen(wallet);
      assertAccessible(wallet);
      equal(text(screen.shadowRoot!.querySelector('h1')), status === 'processing' ? 'Your bank is confirming this payment' : 'Your payment is being checked');
      equal(text(regions(wallet).alert), '', 'no error: the payment may well go through');
      deepEqual(buttons(wallet), [], 'no Pay, no Cancel');
      deepEqual(messages('processing'), [{ paykey: 1, type: 'processing', paymentIntentId: 'pi_test1', status }]);
      deepEqual(messages('error'), []);
      equal(backend.calls['/confirmations'], 1);
    });
  }

  it('after a 502 from /confirmations, shows Payment complete when /checkout says succeeded', async () => {
    const wallet = await open({ '/confirmations': badGateway, '/checkout': checkoutSaying('requires_confirmation', 'succeeded') });
    await pay(wallet);
    const result = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await result.updateComplete;
    await wallet.updateComplete;
    assertAccessible(wallet);
    equal(text(result.shadowRoot!.querySelector('h1')), 'Payment complete');
    deepEqual(buttons(wallet), ['View receipt'], 'no Pay, no Cancel: the receipt only');
    equal(text(regions(wallet).alert), '');
    deepEqual(backend.posted.filter((m) => m.type !== 'resize').map((m) => m.type), ['loaded', 'ready', 'success']);
    deepEqual(messages('success'), [{ paykey: 1, type: 'success', paymentIntentId: 'pi_test1', status: 'succeeded' }]);
  });

  it('after a network error from /confirmations, shows the decline when /checkout says failed, with another card possible', async () => {
    const declined = { code: 'card_declined', message: 'Your card was declined.' };
    const wallet = await open({
      '/confirmations': networkError,
      '/checkout': () => ({ ...checkoutView, ...(backend.calls['/checkout'] === 1 ? {} : answer('failed', declined)) }),
    });
    await pay(wallet);
    const result = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await result.updateComplete;
    await wallet.updateComplete;
    assertAccessible(wallet);
    const heading = result.shadowRoot!.querySelector('h1')!;
    equal(text(heading), 'Payment not completed');
    equal(description(heading), 'Your card was declined.');
    equal(text(regions(wallet).alert), '', 'the decline, not the network alert');
    deepEqual(messages('error'), [{ paykey: 1, type: 'error', ...declined }]);
    byRole(result, 'button', 'Try another card');
  });

  it('after a network error from /confirmations, offers Pay again only once /checkout says no attempt started', async () => {
    const wallet = await open({
      '/confirmations': () => (backend.calls['/confirmations'] === 1 ? networkError() : answer('succeeded')),
      '/checkout': checkoutSaying('requires_confirmation'),
    });
    await pay(wallet);
    const confirm = wallet.shadowRoot!.querySelector('paykey-confirm')!;
    await until(() => text(regions(wallet).alert), 'the alert');
    equal(text(regions(wallet).alert), 'We could not reach Paykey. Check your connection and try again.');
    equal(backend.calls['/checkout'], 2, 'the frame asked before offering Pay again');
    await until(() => byRole(confirm, 'button', /^Pay \$19\.99/).getAttribute('aria-disabled') === 'false', 'Pay enabled again');
    deepEqual(messages('processing'), []);
    deepEqual(messages('error'), []);

    // The second press pays.
    byRole(confirm, 'button', /^Pay \$19\.99/).click();
    await until(() => backend.passkeys.length === 2, 'the second passkey prompt');
    backend.passkeys[1].resolve();
    await until(() => messages('success').length, 'the success message');
    equal(backend.calls['/confirmations'], 2);
  });

  it('after a network error from /confirmations and from /checkout, shows the pending screen and keeps asking', async () => {
    const wallet = await open({
      '/confirmations': networkError,
      '/checkout': () => (backend.calls['/checkout'] === 1 ? checkoutView : networkError()),
    });
    await pay(wallet);
    await pendingScreen(wallet);
    equal(text(regions(wallet).alert), '');
    deepEqual(buttons(wallet), [], 'never Pay while an attempt may be running');
    deepEqual(messages('processing'), [{ paykey: 1, type: 'processing', paymentIntentId: 'pi_test1', status: 'processing' }]);
    const polls = backend.calls['/checkout'];
    await until(() => backend.calls['/checkout'] >= polls + 2, 'the watch');
    equal(backend.calls['/confirmations'], 1);
  });

  for (const status of ['processing', 'requires_review'] as const) {
    it(`opens on the pending screen for a payment already ${status}, and tells the merchant page once`, async () => {
      const wallet = await open({ '/checkout': { ...checkoutView, status } });
      const screen = await pendingScreen(wallet);
      assertAccessible(wallet);
      deepEqual(buttons(wallet), [], 'the cached card is never offered to pay with');
      equal(text(screen.shadowRoot!.querySelector('h1')), status === 'processing' ? 'Your bank is confirming this payment' : 'Your payment is being checked');
      await until(() => messages('processing').length, 'the processing message');
      deepEqual(messages('processing'), [{ paykey: 1, type: 'processing', paymentIntentId: 'pi_test1', status }]);
      const polls = backend.calls['/checkout'];
      await until(() => backend.calls['/checkout'] >= polls + 2, 'the watch');
      equal(messages('processing').length, 1);
      ok(messages('ready').length === 1, 'the wallet is shown');
    });
  }

  it('opens on Payment complete for a payment already succeeded', async () => {
    const wallet = await open({ '/checkout': { ...checkoutView, status: 'succeeded' } });
    const result = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await result.updateComplete;
    equal(text(result.shadowRoot!.querySelector('h1')), 'Payment complete');
    deepEqual(buttons(wallet), ['View receipt'], 'no Pay, no Cancel: the receipt only');
    deepEqual(messages('success'), [{ paykey: 1, type: 'success', paymentIntentId: 'pi_test1', status: 'succeeded' }]);
    equal(backend.calls['/checkout'], 1, 'no polling for a settled payment');
  });

  /** The canceled screen: says so, offers nothing to press, and the merchant page hears `payment_intent_canceled`. */
  async function assertCanceled(wallet: PaykeyWallet) {
    const result = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await result.updateComplete;
    await wallet.updateComplete;
    assertAccessible(wallet);
    const heading = result.shadowRoot!.querySelector('h1')!;
    equal(text(heading), 'Payment canceled');
    equal(description(heading), 'Demo Shop canceled this payment. Nothing was charged.');
    deepEqual(buttons(wallet), [], 'no Pay, no Try another card, no Cancel');
    equal(text(regions(wallet).alert), '');
    deepEqual(messages('error'), [
      { paykey: 1, type: 'error', code: 'payment_intent_canceled', message: 'Demo Shop canceled this payment. Nothing was charged.' },
    ]);
    return heading;
  }

  it('opens on Payment canceled for an intent the merchant canceled, even with a cached card on screen', async () => {
    const wallet = await open({ '/checkout': { ...checkoutView, status: 'canceled' } });
    await assertCanceled(wallet);
    equal(backend.calls['/confirmations/options'], undefined);
  });

  it('shows Payment canceled when the checkout itself answers 409 payment_intent_canceled', async () => {
    const wallet = await open({ '/checkout': new ApiFailure(409, 'payment_intent_canceled', 'This payment intent was canceled.') });
    const result = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await result.updateComplete;
    equal(text(result.shadowRoot!.querySelector('h1')), 'Payment canceled');
    equal(description(result.shadowRoot!.querySelector('h1')!), 'The merchant canceled this payment. Nothing was charged.');
    deepEqual(buttons(wallet), []);
    deepEqual(messages('error').map((m) => m.type === 'error' && m.code), ['payment_intent_canceled']);
  });

  for (const path of ['/confirmations/options', '/confirmations']) {
    it(`shows Payment canceled when ${path} answers 409 payment_intent_canceled`, async () => {
      const wallet = await open({ [path]: new ApiFailure(409, 'payment_intent_canceled', 'This payment intent was canceled.') });
      const confirm = await until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen');
      (await pressable(confirm, /^Pay \$19\.99/)).click();
      if (path === '/confirmations') {
        await until(() => backend.passkeys.length === 1, 'the passkey prompt');
        backend.passkeys[0].resolve();
      }
      const heading = await assertCanceled(wallet);
      await until(() => activeElement(wallet) === heading, 'the heading to take focus');
      equal(text(regions(wallet).status), '');
    });
  }
});
