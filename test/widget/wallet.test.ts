import { sendKeys } from '@web/test-runner-commands';
import type { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import '../../widget/frame/app/paykey-wallet.ts';
import { clearWallet } from '../../widget/frame/storage/wallet-cache.ts';
import { equal, match, ok } from './support/assert.ts';
import { activeElement, assertAccessible, byLabel, byRole, cleanup, description, mount, pressable, type } from './support/dom.ts';
import { Deferred, installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { checkoutView, visa4242 } from './support/fixtures.ts';

/** The wallet's own live regions (outside every screen). */
function regions(wallet: PaykeyWallet) {
  const root = wallet.shadowRoot!;
  return { alert: root.querySelector('main > [role=alert]')!, status: root.querySelector('main > [role=status]')! };
}

const session = { sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper: { id: 'sh_1', email: 'ada@example.com' }, cards: [visa4242] };

describe('paykey-wallet (keyboard and screen reader)', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  let confirmation: Deferred<unknown>;

  beforeEach(async () => {
    await clearWallet();
    confirmation = new Deferred();
    backend = installFakeBackend({ '/sessions': session, '/confirmations': () => confirmation.promise });
  });
  afterEach(async () => {
    cleanup();
    backend.restore();
    await clearWallet();
  });

  async function start(): Promise<PaykeyWallet> {
    const wallet = await mount(walletOn(backend));
    backend.init();
    await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
    await wallet.updateComplete;
    return wallet;
  }

  it('moves the focus to each new heading, announces what it waits for, and refuses a second Pay', async () => {
    const wallet = await start();
    assertAccessible(wallet);
    ok(wallet.shadowRoot!.querySelector('main'), 'a main landmark');
    const { alert, status } = regions(wallet);
    equal(status.textContent!.trim(), '', 'the status region is there, empty, before anything happens');

    // Sign in with the keyboard: the button keeps the focus while the passkey prompt is open.
    const signIn = byRole(wallet, 'button', 'Continue with passkey');
    signIn.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    await wallet.updateComplete;
    equal(status.textContent!.trim(), 'Waiting for your passkey…');
    equal(signIn.getAttribute('aria-disabled'), 'true');
    equal(activeElement(wallet), signIn, 'the focus stays on the busy button');
    backend.passkeys[0].resolve();

    // The confirm screen takes the focus on its heading, described by the payee and amount.
    const heading = await until(() => {
      const h = activeElement(wallet);
      return h?.localName === 'h1' ? h : null;
    }, 'the confirm heading to take focus');
    equal(heading.textContent!.trim(), 'Confirm your payment');
    match(description(heading), /Pay to Demo Shop Amount \$19\.99/);
    equal(status.textContent!.trim(), '', 'nothing pending');
    assertAccessible(wallet);

    // Tab to the card, then to Pay, and press it twice: one confirmation only.
    await pressable(wallet, /^Pay \$19\.99/);
    await sendKeys({ press: 'Tab' });
    equal((activeElement(wallet) as HTMLInputElement).type, 'radio');
    await sendKeys({ press: 'Tab' });
    const pay = byRole(wallet, 'button', /^Pay \$19\.99/);
    equal(activeElement(wallet), pay, 'Tab reaches Pay');
    await sendKeys({ press: 'Enter' });
    await until(() => backend.passkeys.length === 2, 'the confirmation passkey prompt');
    await wallet.updateComplete;
    equal(pay.getAttribute('aria-disabled'), 'true', 'Pay is disabled while the passkey prompt is open');
    equal(status.textContent!.trim(), 'Waiting for your passkey…');
    await sendKeys({ press: 'Enter' });
    pay.click();
    await new Promise((r) => setTimeout(r, 50));
    equal(backend.calls['/confirmations/options'], 1, 'a second press starts nothing');
    equal(backend.passkeys.length, 2);

    backend.passkeys[1].resolve();
    await until(() => backend.calls['/confirmations'] === 1, 'the confirmation request');
    await wallet.updateComplete;
    equal(status.textContent!.trim(), 'Processing your payment…');
    equal(activeElement(wallet), pay, 'the focus is still on Pay');
    equal(alert.textContent!.trim(), '');
    const cancel = byRole(wallet, 'button', 'Cancel');
    equal(cancel.getAttribute('aria-disabled'), 'true', 'Cancel waits while the payment is processing');
    cancel.click();
    await new Promise((r) => setTimeout(r, 50));
    equal(backend.posted.some((p) => p.type === 'cancel'), false, 'no cancel is sent mid-payment');

    // The result heading takes the focus and carries the outcome.
    confirmation.resolve({ paymentIntentId: checkoutView.paymentIntentId, status: 'succeeded', lastError: null });
    const result = await until(() => {
      const h = activeElement(wallet);
      return h?.localName === 'h1' && h.textContent!.includes('Payment complete') ? h : null;
    }, 'the result heading to take focus');
    equal(description(result), '$19.99 paid to Demo Shop.');
    equal(status.textContent!.trim(), '');
    assertAccessible(wallet);
  });

  it('announces a cancelled passkey in the alert region and leaves the focus on the button', async () => {
    const wallet = await start();
    assertAccessible(wallet);
    const { alert, status } = regions(wallet);
    equal(alert.textContent!.trim(), '', 'the alert region is there, empty, before any error');
    const signIn = byRole(wallet, 'button', 'Continue with passkey');
    signIn.focus();
    await sendKeys({ press: 'Space' });
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
    await until(() => alert.textContent!.trim(), 'the alert');
    await wallet.updateComplete;
    match(alert.textContent!, /cancelled or timed out/);
    equal(status.textContent!.trim(), '');
    equal(signIn.getAttribute('aria-disabled'), 'false', 'usable again');
    equal(activeElement(wallet), signIn, 'the focus stayed on the button');
  });

  it('resends a card whose answer was lost with the same idempotency key, and other details with a new one', async () => {
    let attempts = 0;
    backend.restore();
    backend = installFakeBackend({
      '/sessions': { ...session, cards: [] },
      '/cards': () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError('Failed to fetch'); // the answer never arrives
        return { card: { ...visa4242, id: `card_${attempts}` } };
      },
    });
    const wallet = await start();
    byRole(wallet, 'button', 'Continue with passkey').click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    const form = await until(() => wallet.shadowRoot!.querySelector('paykey-card-form'), 'the card form');
    await form.updateComplete;
    assertAccessible(form);
    const fill = async (number: string) => {
      for (const [label, value] of [['Card number', number], ['Expiry date', '12/34'], ['Security code', '123'], ['Name on card', 'Ada Lovelace']]) {
        type(byLabel(form, label), value);
      }
      await form.updateComplete;
      form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    };
    const keys = () => backend.requests.filter((r) => r.path === '/cards').map((r) => r.headers.get('idempotency-key'));

    await fill('4242 4242 4242 4242');
    await until(() => keys().length === 1 && form.shadowRoot!.querySelector('[role=alert]')?.textContent?.trim(), 'the lost answer reported');
    await fill('4242 4242 4242 4242');
    await until(() => keys().length === 2, 'the resend');
    ok(keys()[0], 'an idempotency key is sent');
    equal(keys()[1], keys()[0], 'a resend of the same card reuses the key');

    byRole(await until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen'), 'button', 'Add card').click();
    const second = await until(() => wallet.shadowRoot!.querySelector('paykey-card-form'), 'the card form again');
    await second.updateComplete;
    for (const [label, value] of [['Card number', '5555 5555 5555 4444'], ['Expiry date', '11/33'], ['Security code', '321'], ['Name on card', 'Ada Lovelace']]) {
      type(byLabel(second, label), value);
    }
    await second.updateComplete;
    second.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await until(() => keys().length === 3, 'the other card');
    ok(keys()[2] && keys()[2] !== keys()[0], 'other details get a new key');
  });
});
