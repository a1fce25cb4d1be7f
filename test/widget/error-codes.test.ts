/**
 * The frame passes on only codes of the one closed set (`widget/error-codes.ts`): the server's own as they are, and
 * anything else — a proxy's error page, a code Paykey does not have — as `bad_response`; never a guessed one.
 */
import '../../widget/frame/app/paykey-wallet.ts';
import { WalletApiError } from '../../widget/frame/api/wallet-api.ts';
import * as calls from '../../widget/frame/api/shopper-calls.ts';
import { clearWallet, writeWallet } from '../../widget/frame/storage/wallet-cache.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { cleanup, mount, pressable } from './support/dom.ts';
import { ApiFailure, installFakeBackend, until, walletOn } from './support/fake-wallet-backend.ts';
import { checkoutView, visa4242 } from './support/fixtures.ts';

describe('error codes the frame passes on', () => {
  let backend: ReturnType<typeof installFakeBackend>;
  beforeEach(() => clearWallet());
  afterEach(async () => {
    cleanup();
    backend.restore();
    await clearWallet();
  });

  async function failureOf(call: () => Promise<unknown>): Promise<WalletApiError> {
    const error = await call().then(() => null, (e: unknown) => e);
    ok(error instanceof WalletApiError, `expected a WalletApiError, received ${String(error)}`);
    return error;
  }

  it("keeps the server's codes, and turns unknown codes, code-less bodies and non-JSON answers into bad_response", async () => {
    const answers: Record<string, unknown> = {
      '/checkout': new ApiFailure(409, 'payment_intent_canceled', 'Canceled'),
      '/sessions/options': new ApiFailure(502, 'upstream_connect_error', 'Bad Gateway'),
      '/sessions': () => new Response('<html>502 Bad Gateway</html>', { status: 502 }),
    };
    backend = installFakeBackend(answers);
    const api = backend.deps.api;
    const canceled = await failureOf(() => api.checkout('pi_test1_secret_abc'));
    deepEqual([canceled.code, canceled.status, canceled.message], ['payment_intent_canceled', 409, 'Canceled']);
    const proxied = await failureOf(() => calls.signInOptions(api, 'pi_test1_secret_abc'));
    deepEqual([proxied.code, proxied.status], ['bad_response', 502]);
    const html = await failureOf(() => calls.signIn(api, {} as never));
    deepEqual([html.code, html.status], ['bad_response', 502], 'an HTML error page');
    const unknownPath = await failureOf(() => calls.register(api, {} as never));
    equal(unknownPath.code, 'bad_response', 'the fake answers an unknown path with code not_found, which Paykey never sends');
  });

  it('tells the merchant page bad_response, not the stray code, when the checkout fails with one', async () => {
    backend = installFakeBackend({ '/checkout': new ApiFailure(503, 'service_unavailable', 'Try later') });
    await mount(walletOn(backend));
    backend.init();
    const error = await until(() => backend.posted.find((m) => m.type === 'error'), 'an error for the merchant page');
    deepEqual(error, { paykey: 1, type: 'error', code: 'bad_response', message: 'Try later' });
  });

  it("relays a decline's code as the server gave it, and a failed payment with a stray code as bad_response", async () => {
    let lastError = { code: 'card_declined', message: 'Your card was declined.' };
    backend = installFakeBackend({
      '/confirmations': () => ({ paymentIntentId: checkoutView.paymentIntentId, status: 'failed', lastError }),
    });
    await writeWallet({ id: 'sh_1', email: 'ada@example.com' }, [visa4242]);
    const wallet = await mount(walletOn(backend));
    backend.init();
    const pay = async () => {
      const confirm = await until(() => wallet.shadowRoot!.querySelector('paykey-confirm'), 'the confirm screen');
      (await pressable(confirm, /^Pay \$19\.99/)).click();
      await until(() => backend.passkeys.length, 'the passkey prompt');
      backend.passkeys.shift()!.resolve();
    };
    await pay();
    await until(() => backend.posted.some((m) => m.type === 'error'), 'the decline');
    lastError = { code: 'do_not_honor', message: 'Declined by the issuer.' };
    const retry = await until(() => wallet.shadowRoot!.querySelector('paykey-result'), 'the result screen');
    await retry.updateComplete;
    (await pressable(retry, 'Try another card')).click();
    await pay();
    await until(() => backend.posted.filter((m) => m.type === 'error').length === 2, 'the second decline');
    deepEqual(
      backend.posted.filter((m) => m.type === 'error'),
      [
        { paykey: 1, type: 'error', code: 'card_declined', message: 'Your card was declined.' },
        { paykey: 1, type: 'error', code: 'bad_response', message: 'Declined by the issuer.' },
      ],
    );
  });
});
