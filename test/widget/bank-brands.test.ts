/**
 * The card banks' brands (`GET /api/frame/brands`) as the wallet asks for them: a new shopper's first screen (sign-in)
 * shows none, so they are asked for only once the frame said `ready`; a returning shopper's (confirm, from the device
 * cache) shows the card's bank, so they are asked for beside the checkout, before `ready`, and confirm has them.
 */
import type { PaykeyWallet } from '../../widget/frame/app/paykey-wallet.ts';
import '../../widget/frame/app/paykey-wallet.ts';
import { clearWallet, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { byRole, cleanup, mount } from './support/dom.ts';
import { installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { brandsView, sandboxBrand, visa4242 } from './support/fixtures.ts';

const shopper = { id: 'sh_1', email: 'ada@example.com' };
const session = { sessionToken: 'st_1', expiresAt: '2099-01-01T00:00:00Z', shopper, cards: [visa4242] };

describe('paykey-wallet: the card banks’ brands', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  /** Whether the frame had said `ready` when each `/brands` request arrived, and whether the checkout was asked already. */
  let asked: Array<{ afterReady: boolean; afterCheckout: boolean }>;

  beforeEach(async () => {
    await clearWallet();
    asked = [];
    backend = installFakeBackend({
      '/sessions': session,
      'GET /brands': () => {
        asked.push({ afterReady: backend.posted.some((p) => p.type === 'ready'), afterCheckout: (backend.calls['/checkout'] ?? 0) > 0 });
        return brandsView;
      },
    });
  });
  afterEach(async () => {
    cleanup();
    backend.restore();
    await clearWallet();
  });

  const confirmOf = (wallet: PaykeyWallet) => until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen');

  it('a new shopper: asked for once, after ready (sign-in shows none), and the confirm screen after sign-in has them', async () => {
    const wallet = await mount(walletOn(backend));
    backend.init();
    await until(() => wallet.shadowRoot!.querySelector('paykey-sign-in'), 'the sign-in screen');
    await until(() => asked.length === 1, 'the brands request');
    deepEqual(asked, [{ afterReady: true, afterCheckout: true }]);

    byRole(wallet, 'button', 'Continue with passkey').click();
    await until(() => backend.passkeys.length === 1, 'the passkey prompt');
    backend.passkeys[0].resolve();
    const confirm = await confirmOf(wallet);
    await until(() => confirm.checkout?.banks.length, 'the brands on the confirm screen');
    deepEqual(confirm.checkout!.banks, brandsView.banks);
    equal(asked.length, 1, 'asked for once');
  });

  it('a returning shopper: asked for beside the checkout, before ready, and confirm shows the card’s bank logo', async () => {
    await writeWallet(shopper, [visa4242]);
    const wallet = await mount(walletOn(backend));
    backend.init();
    const confirm = await confirmOf(wallet);
    await until(() => asked.length === 1, 'the brands request');
    equal(asked[0].afterReady, false, 'asked for before the first screen said ready');
    await until(() => confirm.checkout, 'the checkout on the confirm screen');
    deepEqual(confirm.checkout!.banks, brandsView.banks, 'the checkout arrives with the brands');
    const logo = await until(() => confirm.shadowRoot!.querySelector<HTMLImageElement>('.bank img'), 'the bank’s logo');
    equal(logo.getAttribute('src'), sandboxBrand.logo);
    await until(() => backend.posted.some((p) => p.type === 'ready'), 'ready');
    await new Promise((resolve) => setTimeout(resolve, 50));
    equal(asked.length, 1, 'not asked again once ready');
    ok(backend.calls['/checkout'] === 1);
  });
});
