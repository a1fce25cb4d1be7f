/**
 * Bank offers end to end on the demo, in real Chromium with a virtual passkey authenticator, against the real demo
 * stack (wallet server, Sandbox Bank and Lotus Bank processes, the shop). Each check reads where the fact lives: the
 * banks' own offer logs and ledgers (their admin and API keys), the merchant API, the shop server's received webhooks,
 * and everything the wallet frame posted to the shop's page.
 * - A Lotus Bank card on the ¥250 gift box: "CN¥20.00 off", Pay CN¥230.00, the bank applies one redemption to a charge
 *   of 23000; the merchant's intent, webhook and page events know nothing of it (25000, no offer anywhere).
 * - A refund from the merchant API revokes the redemption at the bank exactly once (two partial refunds).
 * - An offer the bank refuses at apply time (expired, out of budget) is never charged silently at full price: the frame
 *   shows the new amount and the shopper presses Pay again.
 * - A slow bank (3 s) has no offers; the payment completes at full price. One answering half a second late, about when
 *   an eager shopper presses Pay, still leaves one charge at the price shown.
 * - The best-card chip suggests the Lotus card with its numbers; the chosen card stays until the chip is pressed.
 * - Lotus Bank's instalments on the ¥1,280 tea set are offered beside "Pay in full", never pre-selected.
 * - Sandbox Bank's cashback on the USD tee: the receipt says "expected by …", then "credited …" after the bank's delay.
 * - Personalisation: off by default (the banks receive `personalization: 'none'`); two taps from the offers turn it on,
 *   the bank records the consent and later requests say `bank_profile`.
 * - In Chinese: the same ¥250 payment shows Lotus Bank's Chinese title and 支付 ¥230.00; a refused offer is told in
 *   Chinese (此优惠已不可用) and paid at ¥250.00 only after 支付 is pressed again.
 * One demo stack for the file; its Sandbox Bank credits cashback 1.5 s after a charge (`SANDBOX_CASHBACK_DELAY_MS`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import type { OffersResponse, Receipt } from '../../widget/shopper-api.ts';
import {
  assertNoOfferData,
  frameMessages,
  lotusBankAdmin,
  merchantIntentJson,
  offerLog,
  recordFrameMessages,
  recordOffers,
  refundFromMerchant,
  sandboxBankAdmin,
  setOfferControl,
  shopWebhooks,
  waitForOfferLog,
  waitForOffersAnswer,
} from './bank-offers-driver.ts';
import { closeDemoInChromium, startDemoInChromium } from './demo-in-chromium.ts';
import type { DemoStack } from './demo-stack.ts';
import {
  addCard,
  assertOrderPaidByWebhook,
  bankCharges,
  checkout,
  choose,
  createPasskey,
  createPasskeyInChinese,
  events,
  formatMoney,
  lotusBank,
  pressAddCard,
  pressPay,
  retrieveIntent,
  waitForEvent,
} from './demo-shop-driver.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';
import { frameText, waitInFrame } from './wallet-frame-probe.ts';

const CASHBACK_DELAY_MS = 1_500;

let stack: DemoStack;
let browser: Browser;

before(async () => ({ stack, browser } = await startDemoInChromium({ SANDBOX_CASHBACK_DELAY_MS: String(CASHBACK_DELAY_MS) })));
after(() => closeDemoInChromium({ stack, browser }));

const GIFT_BOX = 'Buy Longjing Tea Gift Box 龙井礼盒';
const TEE = 'Buy Paykey Tee';
/** The gift box: ¥250.00; Lotus Bank's `lotus-tea-20` takes ¥20.00 off CNY payments of ¥200 or more. */
const GROSS = 25000;
const DISCOUNT = 2000;
const NET = GROSS - DISCOUNT;
const LOTUS_CARD = '5555 5555 5555 4444';
const SANDBOX_CARD = '4242 4242 4242 4242';
const HAN = /[\u4e00-\u9fff]/;

const cny = (amount: number, locale: 'en' | 'zh-CN' = 'en') => formatMoney(amount, 'CNY', locale);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Pay, once it names this amount (it says only "Pay" while the terms load). */
const payFor = (frame: Frame, shown: string, word = 'Pay') => frame.getByRole('button', { name: new RegExp(`^${word}\\s*${escapeRegExp(shown)}`) });

/** Fails unless the frame shows `text` within the timeout; says what it shows instead. */
async function assertShows(frame: Frame, text: string | RegExp, where: string, timeout = 10_000) {
  await waitInFrame(frame, frame.getByText(text).first(), `${where} to show ${String(text)}`, timeout);
}

/** The card's offers in an answer of `POST /api/frame/offers`, found by the card's last four digits on screen. */
function offersOfCard(answer: OffersResponse, cardId: string) {
  const card = answer.cards.find((c) => c.cardId === cardId);
  assert.ok(card, `expected the offers answer to cover card ${cardId}: ${JSON.stringify(answer)}`);
  return card;
}

/** The frame's card id behind a radio (its value), so the offers answer can be matched to what the shopper sees. */
async function cardIdOfRadio(frame: Frame, last4: string): Promise<string> {
  const radio = frame.getByRole('radio', { name: new RegExp(last4) });
  await radio.waitFor();
  const id = await radio.evaluate((el) => (el as HTMLInputElement).value || el.getAttribute('data-card-id') || el.id);
  assert.ok(id, `expected the ${last4} radio to carry its card id`);
  return id;
}

/** Waits for the answer holding this card (a card added after the first answer is asked about again). */
async function offersFor(answers: OffersResponse[], cardId: string, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = answers.findLast((a) => a.cards.some((c) => c.cardId === cardId));
    if (answer) return offersOfCard(answer, cardId);
    assert.ok(Date.now() < deadline, `expected the frame to ask for offers for card ${cardId}; answers: ${JSON.stringify(answers)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('bank offers in English (one returning shopper, several payments)', () => {
  let context: BrowserContext;
  let offers: OffersResponse[];
  let lotusToken: string | undefined;
  let sandboxToken: string | undefined;
  let offerIntentId: string | undefined;

  before(async () => {
    context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await addVirtualAuthenticator(page);
    await recordFrameMessages(page);
    offers = recordOffers(stack, page);
  });
  after(() => context?.close());

  it('a Lotus card on ¥250 shows "CN¥20.00 off" and Pay CN¥230.00; Lotus applies one redemption to a 23000 charge; the merchant sees 25000 and no offer', async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context, GIFT_BOX, 'en');
    await createPasskey(frame, `offers-${Date.now()}@example.com`);
    await addCard(frame, LOTUS_CARD);
    const cardId = await cardIdOfRadio(frame, '4444');

    // The bank's answer as the frame got it: Lotus's ¥20 off, charged 23000.
    const card = await offersFor(offers, cardId);
    assert.equal(card.answered, true);
    const offer = card.offers.find((o) => o.offerId === 'lotus-tea-20');
    assert.ok(offer, `expected lotus-tea-20 for the Lotus card: ${JSON.stringify(card.offers)}`);
    assert.deepEqual([offer.kind, offer.fundedBy, offer.effect.charged], ['instant_discount', 'bank', NET]);

    // What the shopper reads and signs: the gross, the discount, Pay for the net.
    await assertShows(frame, `${cny(DISCOUNT)} off`, 'the confirm screen');
    await assertShows(frame, cny(GROSS), 'the confirm screen');
    await pressPay(payFor(frame, cny(NET)));
    const success = await waitForEvent(page, 'paykey-success');
    assert.deepEqual(success.detail, { paymentIntentId, status: 'succeeded' });

    // Lotus Bank: one charge of 23000 CNY, and one redemption of lotus-tea-20 applied to it.
    const charges = await bankCharges(stack, paymentIntentId, lotusBank(stack));
    assert.deepEqual(charges.map((c) => [c.status, c.amount, c.currency]), [['approved', NET, 'CNY']]);
    const [charge] = charges;
    lotusToken = charge.token;
    const log = await offerLog(lotusBankAdmin(stack));
    const redemptions = log.redemptions.filter((r) => r.cardToken === charge.token && r.offerId === 'lotus-tea-20');
    assert.equal(redemptions.length, 1, `one redemption for this card: ${JSON.stringify(log.redemptions)}`);
    assert.deepEqual([redemptions[0].status, redemptions[0].charged, redemptions[0].chargeId, redemptions[0].revocations], ['applied', NET, charge.id, 0]);

    // The merchant: its intent says 25000 and nothing of an offer; so do its webhook and everything on its page.
    const intent = await merchantIntentJson(stack, paymentIntentId);
    assert.deepEqual([intent.status, intent.amount, intent.currency, intent.amount_refunded], ['succeeded', GROSS, 'CNY', 0]);
    assertNoOfferData(intent, NET, 'the merchant\'s intent');
    // What the page heard, read before the order page is reloaded (a reload starts its records afresh).
    const heard = await events(page);
    assert.deepEqual(heard.map((e) => e.type), ['paykey-ready', 'paykey-success'], 'the page heard the payment');
    assertNoOfferData(heard, NET, 'the page\'s paykey-* events');
    const messages = await frameMessages(page);
    assert.ok(messages.length > 0, 'the recorder heard the frame');
    assertNoOfferData(messages, NET, 'the messages the frame posted to the shop\'s page');
    await assertOrderPaidByWebhook(page);
    const webhooks = await shopWebhooks(stack, page);
    const succeeded = webhooks.filter((e) => e.type === 'payment_intent.succeeded');
    assert.equal(succeeded.length, 1, `the shop received payment_intent.succeeded: ${JSON.stringify(webhooks)}`);
    assert.equal(succeeded[0].data.object.amount, GROSS);
    assertNoOfferData(webhooks, NET, 'the shop\'s webhooks');
    offerIntentId = paymentIntentId;
  });

  it('a refund from the merchant API revokes the redemption at Lotus exactly once (two partial refunds)', async () => {
    assert.ok(offerIntentId && lotusToken, 'the offer payment above went through');
    const isRevoked = (l: Awaited<ReturnType<typeof offerLog>>) => l.redemptions.some((r) => r.cardToken === lotusToken && r.status === 'revoked');
    await refundFromMerchant(stack, offerIntentId, 10000);
    await waitForOfferLog(lotusBankAdmin(stack), isRevoked, 'the redemption revoked');
    await refundFromMerchant(stack, offerIntentId);
    // Both refunds settled at the bank; the second one must not revoke again.
    const deadline = Date.now() + 10_000;
    while ((await merchantIntentJson(stack, offerIntentId)).amount_refunded !== GROSS) {
      assert.ok(Date.now() < deadline, 'expected the whole amount refunded within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const redemptions = (await offerLog(lotusBankAdmin(stack))).redemptions.filter((r) => r.cardToken === lotusToken);
    assert.deepEqual(
      redemptions.map((r) => [r.offerId, r.status, r.revocations]),
      [['lotus-tea-20', 'revoked', 1]],
    );
  });

  for (const mode of ['expire_at_apply', 'out_of_budget'] as const) {
    it(`forced ${mode}: Pay → "no longer available", CN¥250.00 shown, nothing charged until the shopper presses Pay again; then 25000`, async () => {
      const lotus = lotusBankAdmin(stack);
      const { page, frame, paymentIntentId } = await checkout(stack, context, GIFT_BOX, 'en');
      await frame.getByRole('radio', { name: /4444/ }).waitFor();
      await assertShows(frame, `${cny(DISCOUNT)} off`, 'the confirm screen');
      const pay = payFor(frame, cny(NET));
      await pay.waitFor();
      await setOfferControl(lotus, { offerId: 'lotus-tea-20', mode });
      try {
        await pressPay(pay);
        await assertShows(frame, /no longer available/i, 'the confirm screen after the refusal');
        const payFull = payFor(frame, cny(GROSS));
        await waitInFrame(frame, payFull, `a new Pay for ${cny(GROSS)}`);
        // Nothing moves by itself: no charge at the bank, the intent still waiting for the shopper.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        assert.deepEqual(await bankCharges(stack, paymentIntentId, lotusBank(stack)), [], 'nothing charged before the shopper confirms again');
        assert.notEqual((await retrieveIntent(stack, paymentIntentId)).status, 'succeeded');
        assert.equal((await events(page)).filter((e) => e.type === 'paykey-success').length, 0);

        await pressPay(payFull);
        await waitForEvent(page, 'paykey-success');
      } finally {
        await setOfferControl(lotus, { mode: 'none' });
      }
      const charges = await bankCharges(stack, paymentIntentId, lotusBank(stack));
      assert.deepEqual(charges.map((c) => [c.status, c.amount, c.currency]), [['approved', GROSS, 'CNY']]);
      const applied = (await offerLog(lotus)).redemptions.filter((r) => r.chargeId === charges[0].id);
      assert.deepEqual(applied, [], 'no redemption applied to the full-price charge');
    });
  }

  it('a slow Lotus Bank (3 s): no offer shown, the payment completes at CN¥250.00', async () => {
    const lotus = lotusBankAdmin(stack);
    await setOfferControl(lotus, { mode: 'slow', delayMs: 3_000 });
    try {
      const seen = offers.length;
      const { page, frame, paymentIntentId } = await checkout(stack, context, GIFT_BOX, 'en');
      const cardId = await cardIdOfRadio(frame, '4444');
      const asked = Date.now();
      const answer = await waitForOffersAnswer(offers, seen);
      assert.ok(Date.now() - asked < 2_500, 'the wallet did not wait for the slow bank');
      const card = offersOfCard(answer, cardId);
      assert.deepEqual([card.answered, card.offers], [false, []]);
      const payFull = payFor(frame, cny(GROSS));
      await payFull.waitFor();
      assert.doesNotMatch(await frameText(frame), new RegExp(`${escapeRegExp(cny(DISCOUNT))} off`), 'no offer on screen');
      await pressPay(payFull);
      await waitForEvent(page, 'paykey-success');
      const charges = await bankCharges(stack, paymentIntentId, lotusBank(stack));
      assert.deepEqual(charges.map((c) => [c.status, c.amount]), [['approved', GROSS]]);
    } finally {
      await setOfferControl(lotus, { mode: 'none' });
    }
  });

  it('the best-card chip: with the sandbox card chosen, it suggests the Lotus card with its numbers; the chosen card stays until the chip is pressed', async () => {
    const { frame } = await checkout(stack, context, GIFT_BOX, 'en');
    await frame.getByRole('radio', { name: /4444/ }).waitFor();
    await pressAddCard(frame);
    await addCard(frame, SANDBOX_CARD);
    const sandboxRadio = frame.getByRole('radio', { name: /4242/ });
    const lotusRadio = frame.getByRole('radio', { name: /4444/ });
    await sandboxRadio.waitFor();
    assert.equal(await sandboxRadio.isChecked(), true, 'the card just added is chosen');

    // The chip names the Lotus card and its numbers: CN¥230.00 now, CN¥20.00 off.
    const chip = frame.getByRole('button', { name: new RegExp(`4444.*${escapeRegExp(cny(NET))}`) });
    await waitInFrame(frame, chip, 'the best-card chip for the Lotus card');
    const said = (await chip.innerText()).replace(/\s+/g, ' ');
    assert.match(said, new RegExp(escapeRegExp(cny(DISCOUNT))), `the chip says how much is off: ${said}`);
    // It only suggests: the shopper's card stays chosen, and Pay is still for the full price with it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(await sandboxRadio.isChecked(), true, 'the chosen card did not change by itself');
    assert.equal(await lotusRadio.isChecked(), false);
    await payFor(frame, cny(GROSS)).waitFor();

    await chip.click();
    await waitInFrame(frame, payFor(frame, cny(NET)), `Pay ${cny(NET)} with the Lotus card`);
    assert.equal(await lotusRadio.isChecked(), true, 'the chip switched to the Lotus card');
  });

  it('the ¥1,280 tea set: Lotus Bank\'s 3 interest-free instalments sit beside "Pay in full", which stays selected until the shopper picks the plan', async () => {
    const { frame } = await checkout(stack, context, 'Buy Yixing Tea Set 宜兴茶具', 'en');
    await choose(frame.getByRole('radio', { name: /4444/ }));
    const inFull = frame.getByRole('radio', { name: 'Pay in full' });
    const plan = frame.getByRole('radio', { name: /^3 interest-free instalments of / });
    await waitInFrame(frame, plan, 'the instalment plan offered');
    assert.deepEqual([await inFull.isChecked(), await plan.isChecked()], [true, false], 'instalments are never pre-selected');
    // Paying in full, the wallet applies the better of Lotus's other offers by itself: ¥20 off.
    await waitInFrame(frame, payFor(frame, cny(128000 - DISCOUNT)), `Pay ${cny(128000 - DISCOUNT)} (in full, ¥20 off)`);
    await choose(plan);
    await assertShows(frame, /then 2 × .+ monthly/, 'the plan on the confirm screen');
  });

  it('Sandbox Bank cashback on the USD tee: the receipt says "expected by …", then after the delay and a refresh "credited …"', async () => {
    const { page, frame, paymentIntentId } = await checkout(stack, context, TEE, 'en');
    const sandboxRadio = frame.getByRole('radio', { name: /4242/ });
    await choose(sandboxRadio);
    const cardId = await cardIdOfRadio(frame, '4242');
    const card = await offersFor(offers, cardId);
    const cashback = card.offers.find((o) => o.offerId === 'sandbox-cashback-5');
    assert.ok(cashback && cashback.value.kind === 'cashback', `expected sandbox-cashback-5 on the tee: ${JSON.stringify(card.offers)}`);
    const back = formatMoney(cashback.value.cashback, 'USD', 'en');
    await assertShows(frame, back, 'the confirm screen (the cashback)');
    await pressPay(payFor(frame, '$19.99'));
    await waitForEvent(page, 'paykey-success');
    const [charge] = await bankCharges(stack, paymentIntentId);
    assert.deepEqual([charge.status, charge.amount], ['approved', 1999], 'cashback leaves the charge at the full price');
    sandboxToken = charge.token;

    const receipts = recordReceipts(stack, page);
    await frame.getByRole('button', { name: 'View receipt' }).click();
    await frame.getByRole('heading', { name: 'Receipt', level: 1 }).waitFor();
    await assertShows(frame, /expected by/i, 'the receipt');
    await assertShows(frame, back, 'the receipt');

    await new Promise((resolve) => setTimeout(resolve, CASHBACK_DELAY_MS));
    // The shopper refreshes the receipt (the wallet asks the bank then, for at most 500 ms: on a busy machine a
    // refresh may still say "expected", and they press it again).
    const credited = frame.getByText(/credited/i).first();
    const deadline = Date.now() + 10_000;
    while (!(await credited.isVisible())) {
      if (Date.now() > deadline) {
        const redemption = (await offerLog(sandboxBankAdmin(stack))).redemptions.filter((r) => r.cardToken === charge.token);
        assert.fail(
          `expected the receipt to say "credited" after a refresh; the bank has ${JSON.stringify(redemption)}; the wallet's last receipt said ${JSON.stringify(receipts.at(-1)?.offer)}; the frame shows:\n${await frameText(frame)}`,
        );
      }
      await refreshReceipt(frame);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  it('personalisation is off by default (the banks receive "none"); two taps from the offers turn it on: the bank records the consent and later requests say bank_profile', async () => {
    assert.ok(sandboxToken, 'the cashback payment above went through');
    const sandbox = sandboxBankAdmin(stack);
    const sandboxBefore = await offerLog(sandbox);
    const lotusBefore = await offerLog(lotusBankAdmin(stack));
    const requests = [...sandboxBefore.requests, ...lotusBefore.requests];
    assert.ok(requests.length > 0, 'the banks were asked for offers');
    assert.deepEqual([...new Set(requests.map((r) => r.personalization))], ['none'], 'personalisation off by default');
    // Each bank only ever received its own card's token.
    assert.ok(lotusToken, 'the Lotus payment above went through');
    assert.ok(!sandboxBefore.requests.some((r) => r.cardTokens.includes(lotusToken!)), 'Sandbox Bank never received the Lotus card');
    assert.ok(!lotusBefore.requests.some((r) => r.cardTokens.includes(sandboxToken!)), 'Lotus Bank never received the sandbox card');
    assert.deepEqual(sandboxBefore.consents.filter((c) => c.personalization === 'bank_profile'), []);

    const { frame } = await checkout(stack, context, TEE, 'en');
    await choose(frame.getByRole('radio', { name: /4242/ }));
    await assertShows(frame, /cashback/i, 'the offers on the confirm screen');
    // Tap 1: the offer settings beside the offers; tap 2: the switch.
    await frame.getByRole('button', { name: /Offer settings/i }).first().click();
    const general = frame.getByRole('switch', { name: 'Offers for everyone with this card' });
    const personalised = frame.getByRole('switch', { name: 'Offers chosen from my spending at my bank' });
    await waitInFrame(frame, personalised, 'the personalisation switch');
    assert.deepEqual([await general.getAttribute('aria-checked'), await personalised.getAttribute('aria-checked')], ['true', 'false']);
    await personalised.click();
    await waitInFrame(frame, frame.getByRole('switch', { name: 'Offers chosen from my spending at my bank', checked: true }), 'the switch turned on');

    const log = await waitForOfferLog(sandbox, (l) => l.consents.some((c) => c.personalization === 'bank_profile'), 'the consent');
    const [consent] = log.consents.filter((c) => c.personalization === 'bank_profile');
    assert.deepEqual(consent.cardTokens, [sandboxToken], 'Sandbox Bank records the consent for its own card only');
    const lotusConsents = (await waitForOfferLog(lotusBankAdmin(stack), (l) => l.consents.length > 0, 'the consent at Lotus Bank')).consents;
    assert.deepEqual(
      lotusConsents.map((c) => [c.personalization, c.cardTokens]),
      [['bank_profile', [lotusToken]]],
      'Lotus Bank records it for its own card only',
    );
    // Offers are asked for again, now with the bank's profile: Sandbox Bank's personalised offer for MCC 5499 appears.
    const later = await waitForOfferLog(sandbox, (l) => l.requests.slice(sandboxBefore.requests.length).some((r) => r.personalization === 'bank_profile'), 'a bank_profile request');
    assert.ok(later.requests.at(-1)!.at >= consent.at, 'the bank_profile request came after the consent');
    const cardId = await cardIdOfRadio(frame, '4242');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const latest = offers.findLast((a) => a.cards.some((c) => c.cardId === cardId));
      const card = latest && offersOfCard(latest, cardId);
      if (card?.offers.some((o) => o.offerId === 'sandbox-tea-lovers' && o.personalized)) break;
      assert.ok(Date.now() < deadline, `expected sandbox-tea-lovers once personalised offers are on: ${JSON.stringify(card)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

/** The receipts the frame read (`GET /api/frame/payments/:id`), oldest first. */
function recordReceipts(stack: DemoStack, page: Page): Receipt[] {
  const receipts: Receipt[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(`${stack.walletUrl}/api/frame/payments/`) && response.status() === 200) {
      void response.json().then((body: { receipt: Receipt }) => receipts.push(body.receipt), () => undefined);
    }
  });
  return receipts;
}

describe('an offer quoted late', () => {
  it('Sandbox Bank answers half a second late, about when an eager shopper presses Pay: the payment goes through once, at the price shown', async (t) => {
    const sandbox = sandboxBankAdmin(stack);
    await setOfferControl(sandbox, { mode: 'slow', delayMs: 550 });
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      await addVirtualAuthenticator(await context.newPage());
      const { page, frame, paymentIntentId } = await checkout(stack, context, TEE, 'en');
      await createPasskey(frame, `late-offer-${Date.now()}@example.com`);
      await addCard(frame, SANDBOX_CARD, { save: false });
      // Pressed as soon as Pay is pressable, as an eager shopper would. The cashback and its new terms land about then
      // and restart the wallet's settling period: a press in it is ignored (never half-taken), and the shopper, seeing
      // nothing happen, presses again. (A driver that pressed once lost this payment, depending on the machine's timing.)
      const presses = await pressPay(payFor(frame, '$19.99'));
      t.diagnostic(`Pay took ${presses} press(es)`);
      await waitForEvent(page, 'paykey-success');
      const charges = await bankCharges(stack, paymentIntentId);
      assert.deepEqual(charges.map((c) => [c.status, c.amount]), [['approved', 1999]], 'one charge, at the price shown');
    } finally {
      await setOfferControl(sandbox, { mode: 'none' });
      await context.close();
    }
  });
});

/** Re-reads the receipt: its Refresh button when it has one, else back out and open it again from Payments. */
async function refreshReceipt(frame: Frame) {
  const refresh = frame.getByRole('button', { name: /Refresh/i });
  if ((await refresh.count()) > 0) {
    await refresh.first().click();
    return;
  }
  await frame.getByRole('button', { name: 'Back' }).click();
  await frame.getByRole('button', { name: 'Payments' }).first().click();
  await frame.getByRole('button', { name: /^Demo Shop/ }).first().click();
  await frame.getByRole('heading', { name: 'Receipt', level: 1 }).waitFor();
}

describe('bank offers in Chinese', () => {
  let context: BrowserContext;
  let page: Page;
  let offers: OffersResponse[];

  before(async () => {
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    await addVirtualAuthenticator(page);
    offers = recordOffers(stack, page);
  });
  after(() => context?.close());

  it('莲花银行 card on ¥250: the offer\'s Chinese title, 支付 ¥230.00, and Lotus charges 23000 with the offer applied', async () => {
    const { frame, paymentIntentId } = await checkout(stack, context, GIFT_BOX, 'zh-CN');
    await createPasskeyInChinese(frame, `offers-zh-${Date.now()}@example.com`);
    await addCard(frame, LOTUS_CARD, { lang: 'zh-CN' });
    const cardId = await cardIdOfRadio(frame, '4444');
    const card = await offersFor(offers, cardId);
    const offer = card.offers.find((o) => o.offerId === 'lotus-tea-20');
    assert.ok(offer, `expected lotus-tea-20: ${JSON.stringify(card)}`);
    assert.match(offer.title, HAN, `the title is in Chinese: ${offer.title}`);
    await assertShows(frame, offer.title, 'the 中文 confirm screen (the offer\'s title)');
    await pressPay(payFor(frame, cny(NET, 'zh-CN'), '支付'));
    await waitForEvent(page, 'paykey-success');
    await frame.getByRole('heading', { name: '支付成功' }).waitFor();

    const charges = await bankCharges(stack, paymentIntentId, lotusBank(stack));
    assert.deepEqual(charges.map((c) => [c.status, c.amount, c.currency]), [['approved', NET, 'CNY']]);
    const log = await offerLog(lotusBankAdmin(stack));
    assert.ok(
      log.requests.some((r) => r.cardTokens.includes(charges[0].token) && r.locale === 'zh-CN'),
      'Lotus Bank was asked in zh-CN',
    );
    assert.deepEqual(
      log.redemptions.filter((r) => r.cardToken === charges[0].token).map((r) => [r.offerId, r.status, r.charged]),
      [['lotus-tea-20', 'applied', NET]],
    );
  });

  it('an offer Lotus refuses at apply time: the shopper reads 此优惠已不可用 with ¥250.00, and pays it only by pressing 支付 again', async () => {
    const lotus = lotusBankAdmin(stack);
    const { frame, paymentIntentId } = await checkout(stack, context, GIFT_BOX, 'zh-CN');
    await frame.getByRole('radio', { name: /4444/ }).waitFor();
    const pay = payFor(frame, cny(NET, 'zh-CN'), '支付');
    await pay.waitFor();
    await setOfferControl(lotus, { offerId: 'lotus-tea-20', mode: 'expire_at_apply' });
    try {
      await pressPay(pay);
      await assertShows(frame, '此优惠已不可用', 'the 中文 confirm screen after the refusal');
      await assertShows(frame, cny(GROSS, 'zh-CN'), 'the 中文 confirm screen after the refusal');
      const payFull = payFor(frame, cny(GROSS, 'zh-CN'), '支付');
      await waitInFrame(frame, payFull, `支付 ${cny(GROSS, 'zh-CN')}`);
      assert.deepEqual(await bankCharges(stack, paymentIntentId, lotusBank(stack)), [], 'nothing charged before the shopper confirms again');
      await pressPay(payFull);
      await waitForEvent(page, 'paykey-success');
    } finally {
      await setOfferControl(lotus, { mode: 'none' });
    }
    const charges = await bankCharges(stack, paymentIntentId, lotusBank(stack));
    assert.deepEqual(charges.map((c) => [c.status, c.amount, c.currency]), [['approved', GROSS, 'CNY']]);
  });
});
