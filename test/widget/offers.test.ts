/**
 * Bank offers on the confirm screen, the whole wallet in real Chromium over the fake backend: the applied offer and the
 * Pay amount, "Don't use this offer", instalments never pre-selected, an offer refused at confirmation (a new amount and
 * a second Pay, never a silent charge), the two switches, "Why am I seeing this?", the best-card chip, Chinese, axe,
 * 320 px.
 */
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import '../../widget/frame/app/paykey-wallet.ts';
import { clearWallet, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import type { OfferSettings, OfferView, SavedCard } from '../../widget/shopper-api.ts';
import { deepEqual, equal, match, ok } from './support/assert.ts';
import { assertNoAxeViolations } from './support/axe.ts';
import { activeElement, allElements, byRole, cleanup, description, horizontalOverflow, mount, pressable, smallTargets } from './support/dom.ts';
import { ApiFailure, Deferred, installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { CLIENT_SECRET } from './support/fixtures.ts';
import { narrowLayouts, useLayout } from './support/narrow-layouts.ts';
import { cardOffers, cnyCheckout, lotus3x, lotus4444, lotusTea, offersResponse, quotesOn, sandbox4242, sandboxCashback } from './support/offer-fixtures.ts';

const shopper = { id: 'sh_1', email: 'ada@example.com' };
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('offers on the confirm screen', () => {
  let backend: ReturnType<typeof installFakeBackend>;

  beforeEach(() => clearWallet());
  afterEach(async () => {
    cleanup();
    await clearWallet();
  });

  /** A returning shopper's wallet (cards cached) on a ¥`amount` payment, offers and quotes answered by `routes`. */
  async function open(routes: Record<string, unknown>, { cards = [lotus4444] as SavedCard[], locale = 'en', amount = 25000 } = {}) {
    await writeWallet(shopper, cards);
    const checkout = cnyCheckout(amount);
    backend = installFakeBackend({ '/checkout': checkout, ...routes });
    const wallet = await mount(walletOn(backend));
    backend.init(locale);
    await until(() => confirmOf(wallet), 'the confirm screen');
    return wallet;
  }

  const confirmOf = (wallet: PaykeyWallet) => wallet.shadowRoot!.querySelector('paykey-confirm');
  const offersOf = (wallet: PaykeyWallet) => confirmOf(wallet)?.shadowRoot!.querySelector('paykey-offers') ?? null;
  /** The confirm screen's summary as a screen reader reads it with the heading. */
  const summaryOf = (wallet: PaykeyWallet) => description(confirmOf(wallet)!.shadowRoot!.querySelector('h1')!);
  const requestsTo = (path: string) => backend.requests.filter((r) => r.path === path);
  const lastQuote = () => requestsTo('/quotes').at(-1)!.body;
  const switchNamed = (wallet: PaykeyWallet, name: string) => {
    const found = allElements(wallet).find((el) => el.getAttribute('role') === 'switch' && text(el.querySelector('span')) === name);
    ok(found, `a switch named ${name}`);
    return found as HTMLButtonElement;
  };
  /** Presses Pay as a shopper would: scrolled into view first (a press on a Pay not fully visible is refused). */
  async function pressPay(wallet: PaykeyWallet, name: string) {
    (await pressable(wallet, name)).scrollIntoView({ block: 'center' });
    await new Promise((r) => setTimeout(r, 250));
    (await pressable(wallet, name)).click();
  }
  async function approvePasskey(n = backend.passkeys.length) {
    await until(() => backend.passkeys.length > n, 'a passkey prompt');
    backend.passkeys[n].resolve();
  }

  it('shows the checkout at once, then ¥20 off a ¥250 payment with a Lotus card: Pay CN¥230.00, the quote names the offer', async () => {
    const answer = new Deferred<unknown>();
    const offers = [lotusTea()];
    const wallet = await open({ '/offers': () => answer.promise, '/quotes': quotesOn(cnyCheckout(), () => offers) });
    // The offers are still on their way: the first screen, `ready` and Pay do not wait for them.
    await pressable(wallet, 'Pay CN¥250.00');
    ok(backend.posted.some((m) => m.type === 'ready'), 'ready was posted');
    equal(offersOf(wallet), null, 'no offers yet');
    deepEqual(requestsTo('/offers')[0].body, { client_secret: CLIENT_SECRET, card_ids: ['card_l'] });

    answer.resolve(offersResponse([cardOffers('card_l', 25000, offers)]));
    await pressable(wallet, 'Pay CN¥230.00');
    deepEqual(lastQuote(), { client_secret: CLIENT_SECRET, card_id: 'card_l', offer_id: 'lotus-tea-20' });
    match(summaryOf(wallet), /Amount CN¥250\.00 Lotus Bank offer CN¥20\.00 off Lotus Bank: ¥20 off Debited from your card CN¥230\.00$/);
    ok(text(offersOf(wallet)!.shadowRoot!.querySelector('li')).includes('Applied to this payment'));
    await assertNoAxeViolations(wallet, 'confirm with an offer');

    // Pay signs the quote with the offer.
    await pressPay(wallet, 'Pay CN¥230.00');
    await until(() => requestsTo('/confirmations/options').length, 'the challenge');
    equal(requestsTo('/confirmations/options')[0].body!.quote_id, `quo_${requestsTo('/quotes').length}`, 'the quote with the offer');
  });

  it('"Don’t use this offer" quotes again without it, and "Use this offer" brings it back', async () => {
    const offers = [lotusTea()];
    const wallet = await open({ '/offers': offersResponse([cardOffers('card_l', 25000, offers)]), '/quotes': quotesOn(cnyCheckout(), () => offers) });
    await pressable(wallet, 'Pay CN¥230.00');
    byRole(wallet, 'button', 'Don’t use this offer').click();
    await pressable(wallet, 'Pay CN¥250.00');
    deepEqual(lastQuote(), { client_secret: CLIENT_SECRET, card_id: 'card_l' });
    ok(!summaryOf(wallet).includes('offer'), 'no offer line');
    byRole(wallet, 'button', 'Use this offer').click();
    await pressable(wallet, 'Pay CN¥230.00');
    equal(lastQuote()!.offer_id, 'lotus-tea-20');
  });

  it('shows no end time (and never a countdown) unless the offer itself ends within the checkout — never its quote\'s expiry', async () => {
    const inTen = new Date(Date.now() + 10 * 60_000);
    const lotusOffer = (offerId: string, overrides: Partial<OfferView>) => sandboxCashback(25000, { cardId: 'card_l', bank: 'lotus', offerId, ...overrides });
    const offers = [
      lotusTea(),
      // The offer ends in 10 minutes: its end is shown.
      lotusOffer('ends-soon', { endsAt: inTen.toISOString() }),
      // No end announced, its quote holds 10 minutes (the wallet renews it): no end shown.
      lotusOffer('quote-lapses', { endsAt: null, expiresAt: inTen.toISOString() }),
      // Ends in two hours, its quote holds 10 minutes: no end shown either.
      lotusOffer('ends-later', { endsAt: new Date(Date.now() + 2 * 60 * 60_000).toISOString(), expiresAt: inTen.toISOString() }),
    ];
    const wallet = await open({ '/offers': offersResponse([cardOffers('card_l', 25000, offers)]), '/quotes': quotesOn(cnyCheckout(), () => offers) });
    await pressable(wallet, 'Pay CN¥230.00');
    const [noEnd, soon, quoteLapses, later] = [...offersOf(wallet)!.shadowRoot!.querySelectorAll('li')].map(text);
    ok(!quoteLapses.includes('Offer ends'), `a quote holding 10 minutes is no end of the offer: ${quoteLapses}`);
    ok(!noEnd.includes('Offer ends'), `an offer without an end shows none: ${noEnd}`);
    const time = new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(inTen);
    ok(soon.includes(`Offer ends at ${time}`), `the end time of an offer ending in 10 minutes: ${soon}`);
    ok(!later.includes('Offer ends'), `an offer ending in two hours shows no end: ${later}`);
  });

  it('never pre-selects instalments: "Pay in full" is chosen and as prominent; the plan is a keyboard choice', async () => {
    const offers = [lotus3x(120000), lotusTea(120000)];
    const wallet = await open(
      { '/offers': offersResponse([cardOffers('card_l', 120000, offers)]), '/quotes': quotesOn(cnyCheckout(120000), () => offers) },
      { amount: 120000 },
    );
    await pressable(wallet, 'Pay CN¥1,180.00');
    const full = byRole<HTMLInputElement>(wallet, 'radio', 'Pay in full');
    const plan = byRole<HTMLInputElement>(wallet, 'radio', '3 interest-free instalments of CN¥400.00');
    ok(full.checked && !plan.checked, 'paying in full is chosen');
    equal(lastQuote()!.offer_id, 'lotus-tea-20', 'the discount, not the plan');
    const [a, b] = [full.closest('label')!, plan.closest('label')!];
    equal(getComputedStyle(a).fontWeight, getComputedStyle(b).fontWeight, 'same weight');
    equal(getComputedStyle(a).fontSize, getComputedStyle(b).fontSize, 'same size');
    ok(a.getBoundingClientRect().height >= 44 && b.getBoundingClientRect().height >= 44, 'both rows are 44 px targets');

    full.focus();
    await sendKeys({ press: 'ArrowDown' });
    await pressable(wallet, 'Pay CN¥1,200.00');
    equal(lastQuote()!.offer_id, 'lotus-3x');
    match(summaryOf(wallet), /Instalments Today CN¥400\.00, then 2 × CN¥400\.00 monthly, 0% APR, no fees/);
    await sendKeys({ press: 'ArrowUp' });
    await pressable(wallet, 'Pay CN¥1,180.00');
    equal(lastQuote()!.offer_id, 'lotus-tea-20');
    await assertNoAxeViolations(wallet, 'instalments');
  });

  it('an offer refused at confirmation: the new amount is said and focused, and only a second Pay confirms', async () => {
    const offers = [lotusTea()];
    let confirmations = 0;
    const wallet = await open({
      '/offers': offersResponse([cardOffers('card_l', 25000, offers)]),
      '/quotes': quotesOn(cnyCheckout(), () => offers),
      '/confirmations': () =>
        ++confirmations === 1
          ? new ApiFailure(409, 'offer_unavailable', 'The bank refused the offer: it ran out of budget.')
          : { paymentIntentId: 'pi_test1', status: 'succeeded', lastError: null, receipt: null },
    });
    await pressPay(wallet, 'Pay CN¥230.00');
    await approvePasskey(0);
    const notice = await until(() => {
      const el = confirmOf(wallet)?.shadowRoot!.querySelector('.offer-notice');
      return el?.textContent ? el : null;
    }, 'the notice');
    equal(text(notice), 'This offer is no longer available. The amount is now CN¥250.00 — review and confirm again.');
    equal(notice.getAttribute('role'), 'alert');
    equal(activeElement(wallet), notice, 'the notice has the focus');
    await pressable(wallet, 'Pay CN¥250.00');
    deepEqual(lastQuote(), { client_secret: CLIENT_SECRET, card_id: 'card_l' });
    await new Promise((r) => setTimeout(r, 300));
    equal(confirmations, 1, 'nothing is confirmed by itself');
    equal(backend.passkeys.length, 1, 'no second passkey prompt by itself');
    equal(offersOf(wallet)!.shadowRoot!.querySelector('.state')!.textContent, 'No longer available');

    await pressPay(wallet, 'Pay CN¥250.00');
    await approvePasskey(1);
    await until(() => confirmations === 2, 'the second confirmation');
    equal(requestsTo('/confirmations/options').length, 2, 'a new challenge for the new amount');
  });

  it('an offer refused when quoted: the terms without it, and the same notice', async () => {
    const offers = [lotusTea()];
    const wallet = await open({
      '/offers': offersResponse([cardOffers('card_l', 25000, offers)]),
      '/quotes': quotesOn(cnyCheckout(), () => offers, () => ['lotus-tea-20']),
    });
    await until(() => text(confirmOf(wallet)?.shadowRoot!.querySelector('.offer-notice')).startsWith('This offer is no longer available'), 'the notice');
    await pressable(wallet, 'Pay CN¥250.00');
  });

  it('the two switches: role switch, state from the server, PUT sent, offers fetched again; both off → no offers', async () => {
    let server: OfferSettings = { general: true, personalized: false };
    const offers = [lotusTea()];
    backend = installFakeBackend({
      '/checkout': cnyCheckout(),
      '/sessions': { sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper, cards: [lotus4444] },
      '/offers': () => offersResponse(server.general || server.personalized ? [cardOffers('card_l', 25000, offers)] : [{ ...cardOffers('card_l', 25000, []) }], server),
      '/quotes': quotesOn(cnyCheckout(), () => offers),
      'GET /offer-settings': () => server,
      'PUT /offer-settings': (r: { body: OfferSettings | null }) => (server = { ...r.body! }),
    });
    const wallet = await mount(walletOn(backend));
    backend.init();
    await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'sign-in');
    byRole(wallet, 'button', 'Continue with passkey').click();
    await approvePasskey(0);
    await pressable(wallet, 'Pay CN¥230.00');

    // Two taps from the offers shown: "Offer settings", then a switch.
    const settings = byRole(wallet, 'button', 'Offer settings');
    equal(settings.getAttribute('aria-expanded'), 'false');
    server = { general: true, personalized: false };
    settings.click();
    const personalized = await until(() => {
      try {
        return switchNamed(wallet, 'Offers chosen from my spending at my bank');
      } catch {
        return null;
      }
    }, 'the switches');
    equal(requestsTo('/offer-settings').at(-1)!.headers.get('authorization'), 'Bearer st_1', 'asked with the session');
    equal(personalized.getAttribute('aria-checked'), 'false');
    equal(switchNamed(wallet, 'Offers for everyone with this card').getAttribute('aria-checked'), 'true');
    await assertNoAxeViolations(wallet, 'offer settings');

    const offersBefore = requestsTo('/offers').length;
    personalized.click();
    await until(() => switchNamed(wallet, 'Offers chosen from my spending at my bank').getAttribute('aria-checked') === 'true', 'the server’s answer');
    const put = backend.requests.filter((r) => r.method === 'PUT').at(-1)!;
    deepEqual(put.body, { general: true, personalized: true });
    await until(() => requestsTo('/offers').length > offersBefore, 'offers asked again');

    switchNamed(wallet, 'Offers for everyone with this card').click();
    await until(() => switchNamed(wallet, 'Offers for everyone with this card').getAttribute('aria-checked') === 'false', 'general off');
    await pressable(wallet, 'Pay CN¥230.00');
    switchNamed(wallet, 'Offers chosen from my spending at my bank').click();
    await pressable(wallet, 'Pay CN¥250.00');
    deepEqual(server, { general: false, personalized: false });
    equal(offersOf(wallet)!.shadowRoot!.querySelector('section'), null, 'no offers shown');
    deepEqual(lastQuote(), { client_secret: CLIENT_SECRET, card_id: 'card_l' });
    ok(!summaryOf(wallet).includes('offer'), 'no offer in what Pay signs');
    // Turning one back on is as easy.
    switchNamed(wallet, 'Offers for everyone with this card').click();
    await pressable(wallet, 'Pay CN¥230.00');
  });

  it('"Why am I seeing this?" says whether an offer is personalised, who funds it, and what the shop learns', async () => {
    const offers = [
      lotusTea(),
      lotusTea(25000, { offerId: 'lotus-tea-lovers', personalized: true, fundedBy: 'merchant', title: 'Tea lovers: ¥10 off', value: { kind: 'instant_discount', discount: 1000 }, effect: { charged: 24000, dueNow: 24000, comesBackLater: 0, planFees: 0 } }),
    ];
    const wallet = await open({ '/offers': offersResponse([cardOffers('card_l', 25000, offers)], { general: true, personalized: true }), '/quotes': quotesOn(cnyCheckout(), () => offers) });
    await pressable(wallet, 'Pay CN¥230.00');
    const root = offersOf(wallet)!.shadowRoot!;
    const [general, personal] = [...root.querySelectorAll('li')];
    const why = (li: Element) => [...li.querySelectorAll('button')].find((b) => text(b) === 'Why am I seeing this?')!;
    ok(root.querySelector('.why')!.hasAttribute('hidden'), 'closed at first');
    why(general).click();
    await offersOf(wallet)!.updateComplete;
    equal(why(general).getAttribute('aria-expanded'), 'true');
    equal(text(general.querySelector('.why')), 'Offered to everyone with this card; not based on your data. Lotus Bank pays for it. The shop is not told about this offer.');
    why(personal).click();
    await offersOf(wallet)!.updateComplete;
    equal(
      text(personal.querySelector('.why')),
      'Chosen by Lotus Bank from your spending with them — you turned this on. Demo Shop pays for it: the shop learns this offer and its discount, nothing else about you.',
    );
    await assertNoAxeViolations(wallet, 'why am I seeing this');
  });

  it('the best card is a chip with its numbers; the chosen card never changes by itself, pressing the chip switches', async () => {
    const offers = [sandboxCashback(), lotusTea()];
    const wallet = await open(
      {
        '/offers': offersResponse([cardOffers('card_s', 25000, [offers[0]]), cardOffers('card_l', 25000, [offers[1]])]),
        '/quotes': quotesOn(cnyCheckout(), () => offers),
      },
      { cards: [sandbox4242, lotus4444] },
    );
    await pressable(wallet, 'Pay CN¥250.00');
    match(summaryOf(wallet), /Sandbox Bank offer CN¥12\.50 back, expected by Dec 3/);
    const chip = await until(() => {
      try {
        return byRole(wallet, 'button', /— switch$/);
      } catch {
        return null;
      }
    }, 'the chip');
    equal(text(chip), 'Lotus Bank •• 4444 costs CN¥230.00 now (CN¥20.00 off), no fees — switch');
    await new Promise((r) => setTimeout(r, 300));
    ok(byRole<HTMLInputElement>(wallet, 'radio', /ending in 4242/).checked, 'the chosen card is still chosen');
    ok(requestsTo('/quotes').every((r) => r.body!.card_id === 'card_s'), 'the other card was not even quoted');

    chip.click();
    await pressable(wallet, 'Pay CN¥230.00');
    ok(byRole<HTMLInputElement>(wallet, 'radio', /ending in 4444/).checked, 'switched by the shopper');
    deepEqual(lastQuote(), { client_secret: CLIENT_SECRET, card_id: 'card_l', offer_id: 'lotus-tea-20' });
    ok(!allElements(wallet).some((el) => el.localName === 'button' && /— switch$/.test(text(el))), 'no chip once on the best card');
  });

  it('the cards never move under the pointer: offers, the chip, new terms and their rows all arrive below the card list', async () => {
    const answer = new Deferred<unknown>();
    const offers = [sandboxCashback(), lotusTea()];
    const wallet = await open(
      { '/offers': () => answer.promise, '/quotes': quotesOn(cnyCheckout(), () => offers) },
      { cards: [sandbox4242, lotus4444] },
    );
    const tops = () =>
      Array.from(confirmOf(wallet)!.shadowRoot!.querySelectorAll('label.card'), (card) => Math.round(card.getBoundingClientRect().top));
    await pressable(wallet, 'Pay CN¥250.00');
    const before = tops();
    equal(before.length, 2, 'two cards');

    answer.resolve(offersResponse([cardOffers('card_s', 25000, [offers[0]]), cardOffers('card_l', 25000, [offers[1]])]));
    await pressable(wallet, 'Pay CN¥250.00');
    await until(() => allElements(wallet).find((el) => el.localName === 'button' && /— switch$/.test(text(el))), 'the chip');
    match(summaryOf(wallet), /Sandbox Bank offer CN¥12\.50 back/);
    deepEqual(tops(), before, 'the offers, the chip and the cashback line came below the cards');

    byRole<HTMLInputElement>(wallet, 'radio', /ending in 4444/).click();
    await pressable(wallet, 'Pay CN¥230.00');
    match(summaryOf(wallet), /Lotus Bank offer CN¥20\.00 off .* Debited from your card CN¥230\.00$/);
    deepEqual(tops(), before, 'choosing the card with the ¥20 off left the cards where they were');

    byRole<HTMLInputElement>(wallet, 'radio', /ending in 4242/).click();
    await pressable(wallet, 'Pay CN¥250.00');
    deepEqual(tops(), before, 'and back');
  });

  it('keeps Pay under the pointer when the passkey is cancelled: the alert comes under it, not above the offer', async () => {
    // Tall enough for the whole wallet, as the loader sizes the frame to it: nothing scrolls, so nothing is kept in
    // place by the browser's scroll anchoring, which a taller page than its window would do.
    await setViewport({ width: 800, height: 1600 });
    try {
      const offers = [lotusTea()];
      const wallet = await open({ '/offers': offersResponse([cardOffers('card_l', 25000, offers)]), '/quotes': quotesOn(cnyCheckout(), () => offers) });
      await pressPay(wallet, 'Pay CN¥230.00');
      equal(document.scrollingElement!.scrollTop, 0, 'nothing scrolled');
      const place = (name: string) => {
        const { top, left } = byRole(wallet, 'button', name).getBoundingClientRect();
        return [Math.round(top), Math.round(left)];
      };
      const before = [place('Pay CN¥230.00'), place('Don’t use this offer')];
      await until(() => backend.passkeys.length === 1, 'the passkey prompt');
      backend.passkeys[0].reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
      const alert = await until(() => allElements(wallet).find((el) => el.getAttribute('role') === 'alert' && /cancelled or timed out/.test(text(el))), 'the alert');
      await pressable(wallet, 'Pay CN¥230.00');
      // A second press right away (the shopper trying again) must land on Pay, not in the offers' panel above it.
      deepEqual([place('Pay CN¥230.00'), place('Don’t use this offer')], before, 'Pay and the offer stayed where they were');
      ok(alert.getBoundingClientRect().top > byRole(wallet, 'button', 'Pay CN¥230.00').getBoundingClientRect().bottom, 'the alert under Pay');
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('speaks Chinese: the offer, Pay ¥230.00, the switches and the chip (axe-clean)', async () => {
    const offers = [sandboxCashback(), lotusTea()];
    const wallet = await open(
      {
        '/offers': offersResponse([cardOffers('card_s', 25000, [offers[0]]), cardOffers('card_l', 25000, [offers[1]])]),
        '/quotes': quotesOn(cnyCheckout(), () => offers),
      },
      { cards: [lotus4444, sandbox4242], locale: 'zh-CN' },
    );
    await pressable(wallet, '支付 ¥230.00');
    match(summaryOf(wallet), /莲花银行优惠 立减 ¥20\.00/);
    // The bank words its offers in the frame's language, not the browser's (en-GB here).
    equal(requestsTo('/offers')[0].headers.get('accept-language'), 'zh-CN');
    equal(requestsTo('/quotes').find((r) => r.body!.offer_id)!.headers.get('accept-language'), 'zh-CN');
    byRole(wallet, 'button', '优惠设置').click();
    // No session held: the switches show as the offers' answer said, without a passkey prompt.
    await until(() => allElements(wallet).some((el) => el.getAttribute('role') === 'switch'), 'the switches');
    equal(backend.passkeys.length, 0);
    switchNamed(wallet, '面向所有持卡人的优惠');
    switchNamed(wallet, '根据我在银行的消费推荐的优惠');
    byRole(wallet, 'button', '为什么向我显示此优惠？').click();
    await offersOf(wallet)!.updateComplete;
    match(text(offersOf(wallet)!.shadowRoot!.querySelector('.why')), /^面向所有持有此卡的人提供，不基于您的数据。 ?由莲花银行出资。商家不会得知此优惠。$/);
    await assertNoAxeViolations(wallet, 'offers in Chinese');

    byRole(wallet, 'radio', /尾号 4242/).click();
    await pressable(wallet, '支付 ¥250.00');
    match(summaryOf(wallet), /沙盒银行优惠 返现 ¥12\.50，预计 12月3日 前到账/);
    equal(text(byRole(wallet, 'button', /切换$/)), '莲花银行 •• 4444 现在支付 ¥230.00（立减 ¥20.00），无手续费 — 切换');
  });

  for (const layout of narrowLayouts) {
    const { locale } = layout;
    it(`fits 320 px with offers, the chip and the switches open (${layout.locale} ${layout.dir} ×${layout.scale}${layout.rootFontSize ? ` root ${layout.rootFontSize}` : ''})`, async () => {
      await setViewport({ width: 320, height: 640 });
      const label = useLayout(layout);
      try {
        const offers = [lotus3x(120000), lotusTea(120000), sandboxCashback(120000)];
        const wallet = await open(
          {
            '/offers': offersResponse([cardOffers('card_s', 120000, [offers[2]]), cardOffers('card_l', 120000, [offers[0], offers[1]])]),
            '/quotes': quotesOn(cnyCheckout(120000), () => offers),
          },
          { cards: [lotus4444, sandbox4242], locale, amount: 120000 },
        );
        await pressable(wallet, /^(Pay|支付)/);
        await until(() => allElements(wallet).some((el) => el.localName === 'button' && /(switch|切换)$/.test(text(el))), 'the chip');
        await until(() => offersOf(wallet)?.shadowRoot!.querySelector('fieldset'), 'the plans');
        byRole(wallet, 'button', locale === 'en' ? 'Offer settings' : '优惠设置').click();
        await until(() => allElements(wallet).some((el) => el.getAttribute('role') === 'switch'), 'the switches');
        for (const b of offersOf(wallet)!.shadowRoot!.querySelectorAll('li button.link')) (b as HTMLButtonElement).click();
        await offersOf(wallet)!.updateComplete;
        deepEqual(horizontalOverflow(wallet), [], `${label}: nothing sticks out`);
        deepEqual(smallTargets(wallet), [], `${label}: targets are 44 px`);
        for (const row of offersOf(wallet)!.shadowRoot!.querySelectorAll('label.option')) ok(row.getBoundingClientRect().height >= 44, `${label}: each option row is a 44 px target`);
        if (layout.dir === 'rtl') await assertNoAxeViolations(wallet, label);
      } finally {
        useLayout(null);
        await setViewport({ width: 800, height: 600 });
      }
    });
  }
});
