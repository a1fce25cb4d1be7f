import { sendKeys } from '@web/test-runner-commands';
import type { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import '../../widget/frame/app/paykey-wallet.ts';
import { ParentChannel } from '../../widget/frame/parent-channel.ts';
import { clearWallet } from '../../widget/frame/storage/wallet-cache.ts';
import { equal, match, ok } from './support/assert.ts';
import { activeElement, assertAccessible, byRole, cleanup, description, mount } from './support/dom.ts';
import { checkoutView, Deferred, installFakeBackend, until, visa4242 } from './support/fake-wallet-backend.ts';

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
    const wallet = await mount(document.createElement('paykey-wallet'));
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
      return h?.localName === 'h2' ? h : null;
    }, 'the confirm heading to take focus');
    equal(heading.textContent!.trim(), 'Confirm your payment');
    match(description(heading), /Pay to Demo Shop Amount \$19\.99/);
    equal(status.textContent!.trim(), '', 'nothing pending');
    assertAccessible(wallet);

    // Tab to the card, then to Pay, and press it twice: one confirmation only.
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
    const posted: string[] = [];
    const post = ParentChannel.prototype.post;
    ParentChannel.prototype.post = function (message) {
      posted.push(message.type);
    };
    try {
      cancel.click();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      ParentChannel.prototype.post = post;
    }
    equal(posted.includes('cancel'), false, 'no cancel is sent mid-payment');

    // The result heading takes the focus and carries the outcome.
    confirmation.resolve({ paymentIntentId: checkoutView.paymentIntentId, status: 'succeeded', lastError: null });
    const result = await until(() => {
      const h = activeElement(wallet);
      return h?.localName === 'h2' && h.textContent!.includes('Payment complete') ? h : null;
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
});
