/**
 * The checkout flow controller driven directly, without its element: the real `WalletApi` over a fake backend, held
 * passkey ceremonies, the real IndexedDB device cache, and the real screen modules. Every intent resolves (none
 * rejects), and every failure ends on a screen with a message.
 */
import { CheckoutFlow } from '../../widget/frame/app/checkout-flow.ts';
import type { FlowDeps, FlowTiming } from '../../widget/frame/app/flow-deps.ts';
import type { FlowState } from '../../widget/frame/app/flow-state.ts';
import { loadScreen } from '../../widget/frame/app/screen-modules.ts';
import { DATABASE_NAME, clearWallet, readWallet, walletCache, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import type { Receipt, SavedCard } from '../../widget/shopper-api.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { ApiFailure, Deferred, installFakeBackend, termsFor, until, type SeenRequest } from './support/fake-wallet-backend.ts';
import { checkoutView, savedCard, visa4242 } from './support/fixtures.ts';
import { cardOffers, offersResponse, sandboxCashback } from './support/offer-fixtures.ts';

const timing: FlowTiming = { quickTries: 2, quickEvery: 10, watchFrom: 10, watchMax: 40, watchFor: 2000, quoteLead: 100, quoteRetry: 200 };
const shopper = { id: 'sh_1', email: 'ada@example.com' };
const mastercard = savedCard('card_2', 'mastercard', '4444', 11, 2033);
const session = (cards: SavedCard[] = [visa4242]) => ({ sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper, cards });
const card = { number: '4242424242424242', expMonth: 12, expYear: 2034, cvc: '123', name: 'Ada Lovelace' };
const networkError = () => {
  throw new TypeError('Failed to fetch');
};

const receipt: Receipt = {
  paymentIntentId: checkoutView.paymentIntentId,
  reference: 'ch_ref_1',
  payee: 'Demo Shop',
  description: 'Paykey Tee',
  status: 'succeeded',
  amount: 1999,
  currency: 'USD',
  currencyDigits: 2,
  fee: 0,
  fx: null,
  debit: { amount: 1999, currency: 'USD', currencyDigits: 2 },
  card: { bank: 'sandbox', brand: 'visa', last4: '4242', bankName: { en: 'Sandbox Bank' } },
  payByBank: null,
  createdAt: '2026-12-01T10:00:00Z',
  settledAt: '2026-12-01T10:00:01Z',
  offer: null,
  category: 'other',
};
const succeeded = { paymentIntentId: checkoutView.paymentIntentId, status: 'succeeded', lastError: null, receipt };

describe('CheckoutFlow', () => {
  let backend: ReturnType<typeof installFakeBackend>;

  beforeEach(() => clearWallet());
  afterEach(() => clearWallet());

  /** A flow over `routes`; `states` records every state it reported. */
  function flowOn(routes: Record<string, unknown> = {}, deps: Partial<FlowDeps> = {}) {
    backend = installFakeBackend(routes);
    const states: FlowState[] = [];
    const flow = new CheckoutFlow({ ...backend.deps, cache: walletCache, timing, loadScreen, ...deps }, (s) => states.push(s));
    return { flow, states };
  }

  /** Resolves the next passkey prompt once it opens. */
  async function approvePasskey(n = backend.passkeys.length) {
    await until(() => backend.passkeys.length > n, 'a passkey prompt');
    backend.passkeys[n].resolve();
  }

  const requestsTo = (path: string): SeenRequest[] => backend.requests.filter((r) => r.path === path);
  const messages = (type: string) => backend.posted.filter((m) => m.type === type);

  /** Opens on a returning shopper's device (a cached card): the confirm screen with its terms. */
  async function returning(routes: Record<string, unknown> = {}, deps: Partial<FlowDeps> = {}) {
    await writeWallet(shopper, [visa4242]);
    const f = flowOn(routes, deps);
    await f.flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await until(() => f.flow.state.terms, 'the terms');
    return f;
  }

  // ——— Start ———

  it('opens on sign-in for a new device, with the checkout and English', async () => {
    const { flow, states } = flowOn();
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: '' });
    equal(flow.state.screen, 'sign-in');
    equal(flow.state.checkout?.payee, 'Demo Shop');
    equal(flow.state.locale, 'en', 'the browser says en-GB');
    equal(flow.state.shopper, undefined);
    ok(states.length > 1, 'the host heard every change');
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: '' });
    equal(backend.calls['/checkout'], 1, 'a second init starts nothing');
  });

  it('speaks Chinese for locale zh-CN, and for a browser asking zh-SG without one', async () => {
    const a = flowOn();
    await a.flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'zh-CN' });
    equal(a.flow.state.locale, 'zh-CN');
    equal(a.flow.state.m.continueWithPasskey, '使用通行密钥继续');
    const b = flowOn({}, { languages: ['fr-FR', 'zh-SG', 'en'] });
    await b.flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'fr' });
    equal(b.flow.state.locale, 'zh-CN');
  });

  it('opens a returning shopper on the confirm screen with the cached card and its quoted terms', async () => {
    const { flow } = await returning();
    equal(flow.state.screen, 'confirm');
    deepEqual(flow.state.shopper, shopper);
    equal(flow.state.selectedId, 'card_1');
    equal(flow.state.terms?.quoteId, 'quo_card_1');
    deepEqual(requestsTo('/quotes').map((r) => r.body), [{ client_secret: 'pi_test1_secret_abc', card_id: 'card_1' }]);
  });

  // ——— Sign-in, cards ———

  it('signs in with the passkey, then adds a one-time card that pays but is never cached', async () => {
    const { flow } = flowOn({ '/sessions': session([]), '/cards': { card: { ...visa4242, id: 'card_9', saved: false } } });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    const signing = flow.signIn();
    // Signing in's code loads with the card screens' (`card-checkout.ts`): the prompt may open before `busy` is seen.
    await until(() => flow.state.busy, 'busy');
    equal(flow.state.status, 'Waiting for your passkey…');
    await approvePasskey(0);
    await signing;
    equal(flow.state.screen, 'card-form', 'no cards yet');
    deepEqual(requestsTo('/sessions')[0].body, { client_secret: 'pi_test1_secret_abc', challenge_id: 'ch_1', response: requestsTo('/sessions')[0].body!.response });

    await flow.submitCard({ ...card, save: false });
    const [add] = requestsTo('/cards');
    equal(add.headers.get('authorization'), 'Bearer st_1');
    ok(add.headers.get('idempotency-key'), 'an idempotency key');
    deepEqual(add.body, { number: card.number, exp_month: 12, exp_year: 2034, cvc: '123', name: 'Ada Lovelace', save: false });
    equal(flow.state.screen, 'confirm');
    equal(flow.state.selectedId, 'card_9');
    equal(flow.state.terms?.cardId, 'card_9', 'its terms were quoted');
    deepEqual((await readWallet())?.cards ?? [], [], 'the one-time card is not on the device');
  });

  it('caches a card the shopper chose to save', async () => {
    const { flow } = flowOn({ '/sessions': session([]), '/cards': { card: { ...mastercard, saved: true } } });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    const signing = flow.signIn();
    await approvePasskey();
    await signing;
    await flow.submitCard({ ...card, save: true });
    equal(requestsTo('/cards')[0].body!.save, true);
    deepEqual((await until(async () => (await readWallet())?.cards.map((c) => c.id), 'the cache')), ['card_2']);
  });

  it('asks for the passkey before adding a card to a wallet shown from the device cache', async () => {
    const { flow } = await returning({ '/sessions': session() });
    const adding = flow.addCard();
    await approvePasskey();
    await adding;
    equal(flow.state.screen, 'card-form');
    equal(backend.calls['/sessions'], 1);
  });

  it('registers a new shopper with a passkey', async () => {
    const { flow } = flowOn({ '/registrations': session([]) });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    const registering = flow.register('ada@example.com');
    await approvePasskey();
    await registering;
    deepEqual(requestsTo('/registrations/options')[0].body, { client_secret: 'pi_test1_secret_abc', email: 'ada@example.com' });
    equal(flow.state.screen, 'card-form');
  });

  // ——— Terms ———

  it('quotes the card the shopper selects, and drops the answer for a card no longer selected', async () => {
    const slow = new Deferred<unknown>();
    await writeWallet(shopper, [visa4242, mastercard]);
    const { flow } = flowOn({
      '/quotes': (r: SeenRequest) => (r.body?.card_id === 'card_2' ? slow.promise : { terms: termsFor(String(r.body?.card_id)) }),
    });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await until(() => flow.state.terms, 'the first terms');
    const selecting = flow.selectCard('card_2');
    equal(flow.state.terms, undefined, 'Pay waits for the new terms');
    await flow.selectCard('card_1');
    equal(flow.state.terms?.cardId, 'card_1');
    slow.resolve({ terms: termsFor('card_2') });
    await selecting;
    equal(flow.state.terms?.cardId, 'card_1', 'the late answer for card_2 is dropped');
  });

  it('refreshes the terms shortly before they expire', async () => {
    let n = 0;
    const { flow } = await returning({
      '/quotes': (r: SeenRequest) => ({ terms: termsFor(String(r.body?.card_id), { quoteId: `quo_${++n}`, expiresAt: new Date(Date.now() + 300).toISOString() }) }),
    });
    equal(flow.state.terms?.quoteId, 'quo_1');
    await until(() => flow.state.terms?.quoteId === 'quo_2', 'the refreshed quote');
    flow.stop();
  });

  it('says a failed quote in the alert and tries again', async () => {
    let n = 0;
    const { flow, states } = await returning({
      '/quotes': (r: SeenRequest) => (++n === 1 ? new ApiFailure(502, 'bank_unavailable', 'The bank is not answering.') : { terms: termsFor(String(r.body?.card_id)) }),
    });
    ok(states.some((s) => s.alert === 'The bank is not answering.' && !s.terms), 'the failure was said, with no terms to pay on');
    equal(n, 2);
    equal(flow.state.alert, '', 'the quote alert is gone once terms arrive');
  });

  it('keeps a definite refusal of the terms on screen without asking again, until another card is chosen', async () => {
    await writeWallet(shopper, [visa4242, mastercard]);
    const { flow } = flowOn({
      '/quotes': (r: SeenRequest) =>
        r.body?.card_id === 'card_1' ? new ApiFailure(409, 'card_unavailable', 'This card cannot pay in USD.') : { terms: termsFor(String(r.body?.card_id)) },
    });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await until(() => flow.state.alert === 'This card cannot pay in USD.', 'the refusal');
    await new Promise((r) => setTimeout(r, timing.quoteRetry * 2));
    equal(backend.calls['/quotes'], 1, 'not asked again');
    await flow.pay();
    equal(backend.calls['/confirmations/options'], undefined, 'no Pay without terms');
    await flow.selectCard('card_2');
    equal(flow.state.terms?.cardId, 'card_2');
    equal(flow.state.alert, '');
  });

  it('forgets the device copy when the server no longer knows its card', async () => {
    await writeWallet(shopper, [visa4242]);
    const { flow } = flowOn({ '/quotes': new ApiFailure(404, 'resource_missing', 'No such card') });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await until(() => flow.state.screen === 'sign-in', 'sign-in');
    equal(flow.state.alert, 'Your saved cards have changed. Please sign in again.');
    deepEqual(flow.state.cards, []);
    equal(await readWallet(), null, 'the device cache cleared');
  });

  // ——— Pay ———

  it('pays on the quote the shopper saw, shows the outcome and its receipt', async () => {
    const { flow } = await returning({ '/confirmations': succeeded });
    await Promise.all([flow.pay(), approvePasskey()]);
    deepEqual(requestsTo('/confirmations/options')[0].body, { client_secret: 'pi_test1_secret_abc', card_id: 'card_1', quote_id: 'quo_card_1' });
    equal(flow.state.screen, 'result');
    equal(flow.state.outcome?.heading, 'Payment complete');
    equal(flow.state.receiptOffered, true);
    deepEqual(messages('success'), [{ paykey: 1, type: 'success', paymentIntentId: 'pi_test1', status: 'succeeded' }]);

    await flow.openReceipt();
    equal(flow.state.screen, 'receipt');
    deepEqual(flow.state.receipt, receipt);
    equal(backend.requests.some((r) => r.path.startsWith('/payments')), false, "the confirmation's own receipt, no request");
    await flow.back();
    equal(flow.state.screen, 'result', 'Back returns to the outcome');
  });

  /** A quote answer carrying its challenge, as the wallet sends it; `expiresInMs` from now. */
  const quotedWithChallenge = (expiresInMs = 5 * 60_000) => {
    let n = 0;
    return (r: SeenRequest) => ({
      terms: termsFor(String(r.body?.card_id), { quoteId: `quo_${++n}` }),
      confirmation: { challengeId: `ch_quo_${n}`, options: { challenge: 'BBBB', timeout: 60_000 }, expiresAt: new Date(Date.now() + expiresInMs).toISOString() },
    });
  };

  it('pays with the challenge that came with the terms: the passkey is asked at once, without /confirmations/options', async () => {
    const { flow } = await returning({ '/quotes': quotedWithChallenge(), '/confirmations': succeeded });
    const paying = flow.pay();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    equal(backend.calls['/confirmations/options'], undefined, 'no challenge asked for');
    backend.passkeys[0].resolve();
    await paying;
    equal(requestsTo('/confirmations')[0].body!.challenge_id, 'ch_quo_1', "the terms' own challenge signed");
    equal(flow.state.screen, 'result');
  });

  it("uses a terms' challenge once: after a refused prompt the next press asks /confirmations/options", async () => {
    const { flow } = await returning({ '/quotes': quotedWithChallenge(), '/confirmations': succeeded });
    const refused = flow.pay();
    await until(() => backend.passkeys.length === 1, 'the first prompt');
    backend.passkeys[0].reject(new DOMException('canceled', 'NotAllowedError'));
    await refused;
    equal(flow.state.screen, 'confirm', 'nothing paid');
    await Promise.all([flow.pay(), approvePasskey()]);
    deepEqual(requestsTo('/confirmations/options').map((r) => r.body!.quote_id), ['quo_1'], 'a new challenge for the same terms');
    equal(requestsTo('/confirmations')[0].body!.challenge_id, 'ch_1');
    equal(flow.state.screen, 'result');
  });

  it("does not use a terms' challenge that could expire while the passkey prompt is open", async () => {
    // 30 s left, under the prompt's 60 s timeout.
    const { flow } = await returning({ '/quotes': quotedWithChallenge(30_000), '/confirmations': succeeded });
    await Promise.all([flow.pay(), approvePasskey()]);
    equal(backend.calls['/confirmations/options'], 1, 'a fresh challenge asked for');
    equal(requestsTo('/confirmations')[0].body!.challenge_id, 'ch_1');
  });

  it('fetches the receipt with the session when the confirmation did not carry it', async () => {
    const { flow } = await returning({
      '/sessions': session(),
      '/confirmations': { ...succeeded, receipt: null },
      [`GET /payments/${checkoutView.paymentIntentId}`]: { receipt },
    });
    await Promise.all([flow.pay(), approvePasskey()]);
    const opening = flow.openReceipt();
    await approvePasskey();
    await opening;
    const [got] = requestsTo('/payments/pi_test1');
    equal(got.method, 'GET');
    equal(got.headers.get('authorization'), 'Bearer st_1');
    equal(flow.state.screen, 'receipt');
  });

  for (const at of ['/confirmations/options', '/confirmations']) {
    it(`shows new terms when ${at} says quote_expired, and pays only on the next press`, async () => {
      let quotes = 0;
      const expiredOnce = () => (backend.calls[at] === 1 ? new ApiFailure(409, 'quote_expired', 'The quote expired.') : at === '/confirmations' ? succeeded : undefined);
      const { flow } = await returning({
        '/quotes': (r: SeenRequest) => ({ terms: termsFor(String(r.body?.card_id), { quoteId: `quo_${++quotes}` }) }),
        ...(at === '/confirmations' ? { '/confirmations': expiredOnce } : { '/confirmations/options': () => expiredOnce() ?? { challengeId: 'ch_1', options: { challenge: 'AAAA' } }, '/confirmations': succeeded }),
      });
      const paying = flow.pay();
      if (at === '/confirmations') await approvePasskey();
      await paying;
      await until(() => flow.state.terms?.quoteId === 'quo_2', 'the new terms');
      equal(flow.state.screen, 'confirm', 'nothing paid');
      equal(flow.state.alert, 'The price of this payment was updated. Check it, then press Pay again.');
      equal(backend.calls['/confirmations'] ?? 0, at === '/confirmations' ? 1 : 0);
      deepEqual(messages('success'), []);

      await Promise.all([flow.pay(), approvePasskey()]);
      equal(requestsTo('/confirmations/options').at(-1)!.body!.quote_id, 'quo_2', 'the second press signs the terms on screen');
      equal(flow.state.screen, 'result');
    });
  }

  it('never asks the passkey for terms that expired on screen: it fetches new ones', async () => {
    let quotes = 0;
    const { flow } = await returning(
      { '/quotes': (r: SeenRequest) => ({ terms: termsFor(String(r.body?.card_id), { quoteId: `quo_${++quotes}`, expiresAt: new Date(Date.now() + (quotes === 1 ? 50 : 600_000)).toISOString() }) }) },
      { timing: { ...timing, quoteLead: 0 } },
    );
    flow.stop(); // No automatic refresh: the press finds the quote expired.
    await new Promise((r) => setTimeout(r, 80));
    await flow.pay();
    equal(backend.calls['/confirmations/options'], undefined);
    equal(backend.passkeys.length, 0);
    await until(() => flow.state.terms?.quoteId === 'quo_2', 'new terms');
  });

  it('does not pay before the terms are known', async () => {
    const held = new Deferred<unknown>();
    await writeWallet(shopper, [visa4242]);
    const { flow } = flowOn({ '/quotes': () => held.promise });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await flow.pay();
    equal(backend.calls['/confirmations/options'], undefined);
    held.resolve({ terms: termsFor('card_1') });
  });

  it('drops a one-time card from the wallet once its payment has an outcome', async () => {
    const declined = { paymentIntentId: 'pi_test1', status: 'failed', lastError: { code: 'card_declined', message: 'Your card was declined.' } };
    const { flow } = flowOn({ '/sessions': session(), '/cards': { card: { ...mastercard, saved: false } }, '/confirmations': declined });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await Promise.all([flow.signIn(), approvePasskey()]);
    await flow.addCard();
    await flow.submitCard({ ...card, save: false });
    equal(flow.state.selectedId, 'card_2');
    await Promise.all([flow.pay(), approvePasskey()]);
    equal(flow.state.outcome?.heading, 'Payment not completed');
    deepEqual(flow.state.cards.map((c) => c.id), ['card_1']);
    await flow.showCards();
    equal(flow.state.screen, 'confirm');
    equal(flow.state.selectedId, 'card_1');
  });

  it('tells a decline in the shopper\'s language: the server\'s English message in English, the wallet\'s own text in Chinese', async () => {
    const declined = { paymentIntentId: 'pi_test1', status: 'failed', lastError: { code: 'card_declined', message: 'Your card was declined.' } };
    await writeWallet(shopper, [visa4242]);
    const zh = flowOn({ '/confirmations': declined });
    await zh.flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'zh-CN' });
    await until(() => zh.flow.state.terms, 'the terms');
    await Promise.all([zh.flow.pay(), approvePasskey()]);
    equal(zh.flow.state.outcome?.body, '您的银行拒绝了这张卡。请换一张卡，或联系您的银行。');
    deepEqual(messages('error').at(-1), { paykey: 1, type: 'error', code: 'card_declined', message: '您的银行拒绝了这张卡。请换一张卡，或联系您的银行。' });

    const en = await returning({ '/confirmations': declined });
    await Promise.all([en.flow.pay(), approvePasskey()]);
    equal(en.flow.state.outcome?.body, 'Your card was declined.');
  });

  it("tells a code in Chinese on the first screens too, whose part of the table has no code texts (they come with the whole)", async () => {
    // At start: a checkout refused with a code.
    const refused = flowOn({ '/checkout': new ApiFailure(429, 'rate_limited', 'Too many requests.') });
    await refused.flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'zh-CN' });
    equal(refused.flow.state.outcome?.body, '尝试次数过多。请稍候再试。');
    // On sign-in: the passkey's sign-in refused with a code.
    const signIn = flowOn({ '/sessions': new ApiFailure(423, 'authentication_locked', 'Locked.') });
    await signIn.flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'zh-CN' });
    equal(signIn.flow.state.screen, 'sign-in');
    await Promise.all([signIn.flow.signIn(), approvePasskey()]);
    equal(signIn.flow.state.alert, '失败次数过多：为了您的安全，这笔付款已被锁定。');
  });

  it('a returning shopper who paid from the device cache opens Payments with no second passkey (the confirmation signed them in)', async () => {
    const { flow } = await returning({
      '/confirmations': { ...succeeded, session: { sessionToken: 'sess_from_pay', expiresAt: '2099-01-01T00:00:00Z' } },
      'GET /payments?limit=20': { payments: [receipt], hasMore: false },
    });
    await Promise.all([flow.pay(), approvePasskey()]);
    equal(flow.state.outcome?.heading, 'Payment complete');
    const prompts = backend.passkeys.length;
    await flow.openPayments();
    equal(flow.state.screen, 'payments');
    equal(backend.passkeys.length, prompts, 'no passkey prompt');
    equal(requestsTo('/payments?limit=20')[0].headers.get('authorization'), 'Bearer sess_from_pay');
  });

  // ——— The shopper's own views ———

  it('lists payments after the passkey, pages on, opens a receipt, and comes back', async () => {
    const second = { ...receipt, paymentIntentId: 'pi_old', payee: 'Coffee Shop' };
    const { flow } = await returning({
      '/sessions': session(),
      'GET /payments?limit=20': { payments: [receipt], hasMore: true },
      'GET /payments?limit=20&starting_after=pi_test1': { payments: [second], hasMore: false },
    });
    const opening = flow.openPayments();
    await approvePasskey();
    await opening;
    equal(flow.state.screen, 'payments');
    equal(requestsTo('/payments?limit=20')[0].headers.get('authorization'), 'Bearer st_1');
    await flow.loadMorePayments();
    deepEqual(flow.state.payments, { list: [receipt, second], hasMore: false });
    await flow.openPaymentReceipt('pi_old');
    equal(flow.state.screen, 'receipt');
    equal(flow.state.receipt?.payee, 'Coffee Shop');
    await flow.back();
    equal(flow.state.screen, 'payments');
    await flow.back();
    equal(flow.state.screen, 'confirm');
    ok(flow.state.terms, 'the terms are there again');
  });

  it('removes a card at the server, then from the device', async () => {
    await writeWallet(shopper, [visa4242, mastercard]);
    const { flow } = flowOn({ '/sessions': session([visa4242, mastercard]), 'DELETE /cards/card_1': null });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await Promise.all([flow.openManageCards(), approvePasskey()]);
    equal(flow.state.screen, 'manage-cards');
    await flow.removeCard('card_1');
    const [removal] = requestsTo('/cards/card_1');
    equal(removal.method, 'DELETE');
    equal(removal.headers.get('authorization'), 'Bearer st_1');
    deepEqual(flow.state.cards.map((c) => c.id), ['card_2']);
    deepEqual((await readWallet())?.cards.map((c) => c.id), ['card_2']);
    await flow.back();
    equal(flow.state.selectedId, 'card_2');
    await until(() => flow.state.terms?.cardId === 'card_2', 'terms for the remaining card');
  });

  it('keeps a card the server did not remove', async () => {
    const { flow } = await returning({ '/sessions': session(), 'DELETE /cards/card_1': new ApiFailure(502, 'bank_unavailable', 'The bank is not answering.') });
    await Promise.all([flow.openManageCards(), approvePasskey()]);
    await flow.removeCard('card_1');
    equal(flow.state.alert, 'The bank is not answering.');
    deepEqual(flow.state.cards.map((c) => c.id), ['card_1']);
    deepEqual((await readWallet())?.cards.map((c) => c.id), ['card_1']);
  });

  it('signs out: the session ends at the server, the IndexedDB database is deleted, back to sign-in', async () => {
    const { flow } = await returning({ '/sessions': session(), 'DELETE /sessions/current': null });
    await Promise.all([flow.openManageCards(), approvePasskey()]);
    await flow.signOut();
    const [signOut] = requestsTo('/sessions/current');
    equal(signOut.method, 'DELETE');
    equal(signOut.headers.get('authorization'), 'Bearer st_1');
    equal((await indexedDB.databases()).some((d) => d.name === DATABASE_NAME), false, 'no database left');
    equal(flow.state.screen, 'sign-in');
    equal(flow.state.shopper, undefined);
    deepEqual(flow.state.cards, []);
    equal(flow.state.alert, '');
    // The session is gone from memory too: the next view asks for the passkey again.
    const opening = flow.openPayments();
    await until(() => backend.passkeys.length === 2, 'a new passkey prompt');
    backend.passkeys[1].reject(new DOMException('no', 'NotAllowedError'));
    await opening;
  });

  it('signs out on the device even when Paykey cannot be reached, and says so', async () => {
    const { flow } = await returning({ '/sessions': session(), 'DELETE /sessions/current': networkError });
    await Promise.all([flow.openPayments(), approvePasskey()]);
    await flow.signOut();
    equal(flow.state.screen, 'sign-in');
    equal(await readWallet(), null);
    equal(flow.state.alert, 'You are signed out on this device. Paykey could not be reached to end your session; it ends by itself soon.');
  });

  // ——— Every failure ends on a screen ———

  it('ends on a notice when the checkout cannot be had', async () => {
    const { flow } = flowOn({ '/checkout': networkError });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    equal(flow.state.screen, 'result');
    equal(flow.state.outcome?.body, 'We could not reach Paykey. Check your connection and try again.');
    deepEqual(messages('error').map((m) => m.type === 'error' && m.code), ['network_error']);
  });

  it('ends on a notice, not "Loading…", when the device cache of a returning shopper throws', async () => {
    const { flow } = flowOn({}, { cache: { ...walletCache, expectsCards: () => true, read: () => Promise.reject(new Error('broken')) } });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    equal(flow.state.screen, 'notice');
    equal(flow.state.outcome?.heading, 'This checkout is not available.');
    equal(messages('error').length, 1);
  });

  it('shows sign-in on a device with no saved cards without waiting for the device cache (its first open is slow)', async () => {
    let answer: (cached: null) => void = () => {};
    let reads = 0;
    const slow = { ...walletCache, read: () => (reads++, new Promise<null>((resolve) => (answer = resolve))) };
    const { flow } = flowOn({}, { cache: slow });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    equal(flow.state.screen, 'sign-in');
    equal(reads, 0, 'the cache is read only once the first screen is up');
    const later = flow.afterFirstScreen();
    equal(reads, 1);
    answer(null);
    await later;
    equal(flow.state.screen, 'sign-in', 'nothing saved on the device: sign-in stays');
    const broken = flowOn({}, { cache: { ...walletCache, read: () => Promise.reject(new Error('broken')) } });
    await broken.flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await broken.flow.afterFirstScreen();
    equal(broken.flow.state.screen, 'sign-in', 'a cache that throws: the wallet works from the server');
    equal(messages('error').length, 0);
  });

  it('turns sign-in into confirm when the device cache finds saved cards the hint did not announce', async () => {
    await writeWallet(shopper, [visa4242]);
    localStorage.removeItem('paykey.first-screen'); // as a cache written by a frame from before the hint
    const { flow } = flowOn();
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    equal(flow.state.screen, 'sign-in', 'the hint said sign-in: the cache is read once it shows');
    await flow.afterFirstScreen();
    await until(() => flow.state.screen === 'confirm' && flow.state.terms, 'confirm with the cached card and its terms');
    deepEqual(flow.state.shopper, shopper);
    equal(flow.state.selectedId, 'card_1');
    equal(localStorage.getItem('paykey.first-screen'), 'confirm', 'the hint is right again for the next visit');
  });

  it('leaves sign-in alone when the shopper has started signing in before the stale cache answered', async () => {
    let answer: (cached: Awaited<ReturnType<typeof readWallet>>) => void = () => {};
    const late = { ...walletCache, read: () => new Promise<Awaited<ReturnType<typeof readWallet>>>((resolve) => (answer = resolve)) };
    const { flow } = flowOn({}, { cache: late });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    const signingIn = flow.signIn();
    await until(() => backend.passkeys.length > 0, 'the passkey prompt');
    const later = flow.afterFirstScreen();
    answer({ shopper, cards: [visa4242], updatedAt: '2026-12-01T10:00:00Z' });
    await later;
    equal(flow.state.screen, 'sign-in', 'not switched under the open passkey prompt');
    equal(flow.state.shopper, undefined);
    backend.passkeys[0].reject(new DOMException('canceled', 'NotAllowedError'));
    await signingIn;
  });

  it("shows the outcome in the wallet's own notice when the result screen's code cannot be downloaded", async () => {
    const failing = (screen: string) => (screen === 'result' ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : loadScreen(screen));
    const { flow } = flowOn({ '/checkout': { ...checkoutView, status: 'canceled' } }, { loadScreen: failing });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    equal(flow.state.screen, 'notice');
    equal(flow.state.outcome?.heading, 'Payment canceled');
  });

  it('ends on the intent mismatch notice for a secret naming another payment', async () => {
    const { flow } = flowOn({}, { frameIntentId: 'pi_other' });
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    equal(flow.state.outcome?.body, 'This checkout does not match its payment.');
    deepEqual(messages('error').map((m) => m.type === 'error' && m.code), ['intent_mismatch']);
    equal(backend.calls['/checkout'], undefined, 'the secret is not sent anywhere');
  });

  it('keeps the shopper on their screen with a message when a screen cannot be downloaded', async () => {
    const failing = (screen: string) => (screen === 'payments' ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : loadScreen(screen));
    const { flow } = await returning({ '/sessions': session(), 'GET /payments?limit=20': { payments: [], hasMore: false } }, { loadScreen: failing });
    await Promise.all([flow.openPayments(), approvePasskey()]);
    equal(flow.state.screen, 'confirm');
    equal(flow.state.alert, 'Something went wrong. Please try again.');
    equal(flow.state.busy, false);
  });

  it('resolves every intent, whatever fails, with the failure said on screen', async () => {
    const { flow } = await returning({
      '/sessions': session(),
      '/confirmations/options': networkError,
      'GET /payments?limit=20': networkError,
      '/cards': networkError,
    });
    await flow.pay();
    equal(flow.state.alert, 'We could not reach Paykey. Check your connection and try again.');
    equal(flow.state.screen, 'confirm');
    await Promise.all([flow.openPayments(), approvePasskey()]);
    equal(flow.state.alert, 'We could not reach Paykey. Check your connection and try again.');
    await flow.addCard();
    await flow.submitCard({ ...card, save: true });
    equal(flow.state.cardError, 'We could not reach Paykey. Check your connection and try again.');
    await flow.openManageCards();
    const refusing = flow.removeCard('card_x');
    await refusing;
    ok(flow.state.alert, 'a 404 from the fake backend is said');
    equal(flow.state.busy, false);
  });
});

// ——— "confirm-ui": offers in the flow (the element's side: offers.test.ts) ———
describe('CheckoutFlow offers', () => {
  beforeEach(() => clearWallet());
  afterEach(() => clearWallet());

  async function returningOn(routes: Record<string, unknown>) {
    await writeWallet(shopper, [visa4242]);
    const backend = installFakeBackend(routes);
    const flow = new CheckoutFlow({ ...backend.deps, cache: walletCache, timing, loadScreen }, () => {});
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    await until(() => flow.state.terms, 'the terms');
    return { flow, backend };
  }

  it('offers that cannot be had are no offers: the terms stay as quoted, and no further quote is asked', async () => {
    const { flow, backend } = await returningOn({ '/offers': new ApiFailure(502, 'bank_unavailable') });
    await until(() => backend.calls['/offers'], 'the offers asked');
    await new Promise((r) => setTimeout(r, 100));
    equal(flow.state.offers, undefined);
    equal(backend.calls['/quotes'], 1, 'one quote, without an offer');
    equal(flow.state.terms?.offer, null);
    equal(flow.state.screen, 'confirm');
  });

  it('asks each card’s offers with the session once signed in, and applies none while paying', async () => {
    const answer = new Deferred<unknown>();
    const backend = installFakeBackend({
      '/sessions': { sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper, cards: [visa4242, mastercard] },
      '/offers': () => answer.promise,
    });
    const flow = new CheckoutFlow({ ...backend.deps, cache: walletCache, timing, loadScreen }, () => {});
    await flow.start({ clientSecret: 'pi_test1_secret_abc', locale: 'en' });
    const signing = flow.signIn();
    await until(() => backend.passkeys.length, 'the passkey');
    backend.passkeys[0].resolve();
    await signing;
    await until(() => flow.state.terms, 'the terms');
    const [asked] = backend.requests.filter((r) => r.path === '/offers');
    deepEqual(asked.body, { client_secret: 'pi_test1_secret_abc', card_ids: ['card_1', 'card_2'] });
    equal(asked.headers.get('authorization'), 'Bearer st_1');
    equal(flow.state.screen, 'confirm', 'the confirm screen did not wait for offers');
    // A payment under way is never re-quoted under the shopper's passkey, whatever offers arrive.
    const paying = flow.pay();
    await until(() => backend.passkeys.length === 2, 'the Pay passkey');
    // Cashback on card_1 that the wallet would apply at once on the confirm screen.
    answer.resolve(offersResponse([cardOffers('card_1', 1999, [sandboxCashback(2000, { cardId: 'card_1' })])]));
    await until(() => flow.state.offers, 'the offers');
    equal(backend.calls['/quotes'], 1, 'not re-quoted while paying');
    backend.passkeys[1].reject(new DOMException('cancelled', 'NotAllowedError'));
    await paying;
  });
});
