import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type {
  CheckoutView,
  PaymentStatus,
  SavedCard,
  SessionResponse,
  ShopperSummary,
} from '../../shopper-api.ts';
import type { ErrorCode } from '../../error-codes.ts';
import { intentIdFromClientSecret, type ParentToFrameMessage } from '../../protocol.ts';
import { serverCode } from '../api/server-code.ts';
import { WalletApi, WalletApiError } from '../api/wallet-api.ts';
import type { CardSubmitDetail } from '../card-form/paykey-card-form.ts';
import '../confirm/paykey-confirm.ts';
import { en, type Messages } from '../i18n/en.ts';
import { messagesFor } from '../i18n/messages.ts';
import { formatAmount } from '../money/format-amount.ts';
import { ParentChannel } from '../parent-channel.ts';
import { focusHeading } from './focus-heading.ts';
import type { OutcomeTiming, PaymentState } from './wait-for-outcome.ts';
import { loadWebAuthn } from '../passkey/load-webauthn.ts';
import '../sign-in/paykey-sign-in.ts';
import { clearWallet, readWallet, writeWallet } from '../storage/wallet-cache.ts';
import { bankThemeSheet } from '../theme/bank-theme.ts';
import { sharedStyles } from '../theme/shared-styles.ts';

type Screen = 'loading' | 'sign-in' | 'card-form' | 'confirm' | 'pending' | 'result';
interface Outcome {
  ok: boolean;
  heading: string;
  body: string;
  retry: boolean;
}

/** The merchant canceled the intent: `/checkout` says `canceled`, the confirmation calls answer 409 with this code. */
const CANCELED = 'payment_intent_canceled';
// A copy of `wait-for-outcome.ts`'s, so that module loads only when an outcome is not known at once (rarely).
const isPending = (status: PaymentStatus) => status === 'processing' || status === 'requires_review';

const intentIdFromPath = (path: string) => /\/frame\/([^/]+)\/?$/.exec(path)?.[1] ?? null;

/**
 * The wallet inside the iframe: one orchestrator for the whole flow, reading top to bottom —
 * init from the loader → checkout + device cache → sign in or register → add card → confirm with a passkey → result.
 * Screens are presentational elements that emit intents; every network call and ceremony happens here.
 */
@customElement('paykey-wallet')
export class PaykeyWallet extends LitElement {
  /**
   * How the frame waits for an outcome (ms). A few quick polls while the shopper still looks at the Pay button; if they
   * do not settle it, the processing screen, the `processing` message, and a slower watch in the background (doubling
   * from `watchFrom` to `watchMax`) that gives up after `watchFor`: the merchant's server learns the outcome anyway.
   */
  static timing: OutcomeTiming = { quickTries: 5, quickEvery: 1000, watchFrom: 1000, watchMax: 15000, watchFor: 180000 };

  // An opaque white surface, because the text colours are chosen for white whatever the merchant's page behind.
  // Live regions (.alert, .status) stay in the tree while empty, so screen readers notice what is written into them.
  static override styles = [
    sharedStyles,
    css`
      :host { padding: 16px; max-width: 480px; margin: 0 auto; background: #fff; border-radius: 12px; }
      .alert {
        border: 1px solid #b3261e; background: #fdf0ef; color: #8c1d18;
        border-radius: 8px; padding: .6rem .75rem; margin-bottom: .9rem;
      }
      .alert:empty { padding: 0; border: 0; margin: 0; }
      .status { color: #4a5160; text-align: center; margin: .6rem 0 0; }
      .status:empty { margin: 0; }
      .cancel { margin-top: .6rem; width: 100%; }
    `,
  ];

  @state() private screen: Screen = 'loading';
  @state() private checkout?: CheckoutView;
  @state() private cards: SavedCard[] = [];
  @state() private selectedId?: string;
  @state() private busy = false;
  /** Text of the alert region: errors are announced and shown here. */
  @state() private alert = '';
  /** Text of the status region: what the frame is waiting for while `busy` (the passkey, the bank). */
  @state() private status = '';
  @state() private cardError = '';
  @state() private outcome?: Outcome;
  /** On the pending screen: the bank's answer is being checked (`requires_review`), not awaited. */
  @state() private review = false;
  /** The background watch is polling: the status region says what for. */
  @state() private watching = false;
  @state() private m: Messages = en;

  private readonly api = new WalletApi();
  private readonly channel = new ParentChannel();
  private shopper?: ShopperSummary;
  /** Held in memory only: never cached, so a stolen device cache cannot act as the shopper. */
  private session?: string;
  private secret = '';
  private cardKey?: { digest: string; key: string };
  /** The bank's window while paying by bank. */
  private bankWindow: Window | null = null;
  private locale = new URLSearchParams(location.search).get('locale') || 'en';
  private started = false;
  private readySent = false;
  /** `processing` goes to the loader once per payment attempt. */
  private processingSent = false;
  /** Bumped to stop the background watch (a newer one started, or the frame went away). */
  private watchId = 0;
  private unsubscribe?: () => void;
  private resizeObserver = new ResizeObserver(() =>
    this.channel.post({ type: 'resize', height: Math.ceil(this.getBoundingClientRect().height) }),
  );

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = this.channel.onInit((message) => void this.start(message));
    this.resizeObserver.observe(this);
    this.channel.post({ type: 'loaded' });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.resizeObserver.disconnect();
    this.watchId++;
  }

  override updated(changed: PropertyValues) {
    // After a shopper action (never on the first screen, which would steal focus from the merchant page).
    const from = changed.get('screen');
    if (from && from !== 'loading' && this.ownerDocument.hasFocus()) {
      void focusHeading(this.renderRoot.querySelector<LitElement>('main > :not(.alert)'));
    }
    if (!this.readySent && this.screen !== 'loading') {
      this.readySent = true;
      this.channel.post({ type: 'ready' });
      // Warm the passkey code while the shopper reads the screen; failures retry on use.
      loadWebAuthn().catch(() => {});
    }
  }

  override render() {
    const m = this.m;
    return html`<main>
      <div class="alert" role="alert">${this.alert}</div>
      ${this.renderScreen()}
      <p class="status" role="status">${this.status || (this.watching ? (this.review ? m.waitingForReview : m.waitingForBank) : '')}</p>
      ${this.screen === 'pending' || (this.screen === 'result' && (this.outcome?.ok || !this.outcome?.retry))
        ? nothing
        : html`<button class="link cancel" type="button" aria-disabled=${this.busy && !this.bankWindow ? 'true' : 'false'} @click=${this.onCancel}>${m.cancel}</button>`}
    </main>`;
  }

  private renderScreen() {
    const m = this.m;
    switch (this.screen) {
      case 'loading':
        return html`<p role="status">${m.loading}</p>`;
      case 'sign-in':
        return html`<paykey-sign-in
          .messages=${m}
          ?busy=${this.busy}
          @paykey-sign-in=${this.onSignIn}
          @paykey-register=${this.onRegister}
        ></paykey-sign-in>`;
      case 'card-form':
        return html`<paykey-card-form
          .messages=${m}
          ?busy=${this.busy}
          ?show-back=${this.cards.length > 0}
          .serverError=${this.cardError}
          @paykey-card-submit=${this.onCardSubmit}
          @paykey-card-back=${this.showCards}
        ></paykey-card-form>`;
      case 'confirm':
        return html`<paykey-confirm
          .messages=${m}
          .locale=${this.locale}
          .checkout=${this.checkout}
          .cards=${this.cards}
          .selectedId=${this.selectedId}
          ?busy=${this.busy}
          @paykey-select-card=${(e: CustomEvent<{ id: string }>) => (this.selectedId = e.detail.id)}
          @paykey-add-card=${this.onAddCard}
          @paykey-pay=${this.onPay}
          @paykey-pay-obscured=${this.onPayObscured}
        ></paykey-confirm>`;
      case 'pending':
        return html`<paykey-pending .messages=${m} .payee=${this.checkout!.payee} ?review=${this.review}></paykey-pending>`;
      case 'result': {
        const o = this.outcome!;
        return html`<paykey-result
          .messages=${m}
          ?ok=${o.ok}
          .heading=${o.heading}
          .body=${o.body}
          ?retry=${o.retry}
          @paykey-retry=${this.showCards}
        ></paykey-result>`;
      }
    }
  }

  // ——— Flow ———

  private async start({ clientSecret, locale }: ParentToFrameMessage) {
    if (this.started) return;
    this.started = true;
    this.secret = clientSecret;
    this.locale = locale || this.locale;
    this.m = messagesFor(this.locale);
    document.documentElement.lang = this.locale;
    // The loader derived our path from the secret; a mismatch means a confused or hostile embedder.
    if (intentIdFromClientSecret(clientSecret) !== intentIdFromPath(location.pathname)) {
      return this.fail('intent_mismatch', this.m.errorIntentMismatch);
    }
    const checkout = this.api.checkout(clientSecret);
    checkout.catch(() => {}); // Handled below; avoids an unhandled rejection while the cache is read.

    // Returning shopper: show the cached cards before any network round trip.
    const cached = await readWallet();
    if (cached?.cards.length) {
      this.shopper = cached.shopper;
      this.setCards(cached.cards);
      this.screen = 'confirm';
    }
    try {
      this.checkout = await checkout;
    } catch (error) {
      const e = error instanceof WalletApiError ? error : new WalletApiError('bad_response', String(error));
      if (e.code === CANCELED) return this.showCanceled();
      return this.fail(e.code, e.code === 'network_error' ? this.m.errorNetwork : e.message || this.m.errorUnavailable);
    }
    this.adoptBrand();
    const { paymentIntentId, status, lastError } = this.checkout;
    const state: PaymentState = { paymentIntentId, status, lastError };
    if (status === 'canceled') return this.showCanceled();
    // Confirmed already (the page was reloaded): the outcome or the pending screen, never Pay over the cached cards.
    if (isPending(status)) await this.showPending(state);
    if (status === 'succeeded' || isPending(status)) return this.settle(state);
    // A failed intent may be retried with another card: say why the last attempt failed and carry on.
    if (status === 'failed' && lastError) this.alert = lastError.message;
    if (this.screen === 'loading') this.screen = 'sign-in';
  }

  private async onSignIn() {
    if (await this.signIn()) await this.afterSession();
  }

  /** Discoverable-credential sign-in: no username typed. Resolves true once a session is held. */
  private async signIn(): Promise<boolean> {
    return this.run(this.m.waitingForPasskey, async () => {
      const [{ startAuthentication }, { challengeId, options }] = await Promise.all([
        loadWebAuthn(),
        this.api.signInOptions(this.secret),
      ]);
      const response = await startAuthentication({ optionsJSON: options });
      this.adoptSession(await this.api.signIn({ client_secret: this.secret, challenge_id: challengeId, response }));
    });
  }

  private async onRegister(event: CustomEvent<{ email: string }>) {
    const email = event.detail.email;
    // Already fetched when the form opened; the ceremony must start within this click's user activation.
    const { registerPasskey } = await import('../sign-in/register-passkey.ts');
    const ok = await this.run(this.m.waitingForPasskey, async () =>
      this.adoptSession(await registerPasskey(this.api, this.secret, email)),
    );
    if (ok) await this.afterSession();
  }

  private async afterSession() {
    if (this.cards.length || this.checkout?.payByBank) this.screen = 'confirm';
    else await this.openCardForm();
  }

  private async onAddCard() {
    // Cards shown from the device cache come without a session; adding one needs the passkey first.
    if (!this.session && !(await this.signIn())) return;
    await this.openCardForm();
  }

  private async openCardForm() {
    await import('../card-form/paykey-card-form.ts');
    this.cardError = '';
    this.screen = 'card-form';
  }

  private async onCardSubmit(event: CustomEvent<CardSubmitDetail>) {
    const d = event.detail;
    this.cardError = '';
    if (!this.session && !(await this.signIn())) return;
    await this.run(
      this.m.savingCard,
      async () => {
        const details = { number: d.number, exp_month: d.expMonth, exp_year: d.expYear, cvc: d.cvc, name: d.name };
        const { card } = await this.api.addCard(this.session!, details, await this.cardIdempotencyKey(details));
        this.setCards([...this.cards.filter((c) => c.id !== card.id), card], card.id);
        this.cache();
        this.screen = 'confirm';
      },
      (e) => {
        if (e instanceof WalletApiError && e.status === 401) {
          this.session = undefined;
          this.cardError = this.m.errorSessionExpired;
        } else {
          this.cardError = this.describe(e);
        }
        return true;
      },
    );
  }

  private async onPay() {
    const cardId = this.selectedId;
    if (!cardId || !this.checkout || this.busy) return;
    if (cardId.startsWith('bank:')) return this.onPayByBank(cardId.slice(5));
    this.processingSent = false;
    await this.run(
      this.m.waitingForPasskey,
      async () => {
        const [{ startAuthentication }, { challengeId, options }] = await Promise.all([
          loadWebAuthn(),
          this.api.confirmOptions(this.secret, cardId),
        ]);
        const response = await startAuthentication({ optionsJSON: options });
        this.status = this.m.processing;
        const confirmation = this.api.confirm({ client_secret: this.secret, challenge_id: challengeId, response });
        await this.settle(await confirmation.catch((e) => this.stateAfterLostAnswer(e)));
      },
      (e) => {
        // The intent itself was found by /checkout, so a 404 `resource_missing` here is the card.
        if (!(e instanceof WalletApiError && e.code === 'resource_missing')) return false;
        // The server is the source of truth: forget this device's copy and start over from sign-in.
        void clearWallet();
        this.session = this.shopper = undefined;
        this.setCards([]);
        this.screen = 'sign-in';
        this.alert = this.m.errorCardUnknown;
        return true;
      },
    );
  }

  /**
   * Pay by bank (loaded on demand): the bank's window opens now, in Pay's click, as popup blockers require; the
   * passkey then confirms, the window shows the bank's consent page, and the outcome settles as for cards.
   */
  private async onPayByBank(bank: string) {
    this.processingSent = false;
    this.bankWindow = open('about:blank', '_blank', 'popup,width=480,height=720');
    await this.run(
      this.m.waitingForPasskey,
      async () => {
        const { payByBank } = await import('../pay-by-bank/pay-by-bank.ts');
        const name = this.checkout!.payByBank?.name ?? bank;
        const state = await payByBank({
          api: this.api,
          clientSecret: this.secret,
          sessionToken: this.session,
          bank,
          bankWindow: this.bankWindow,
          atBank: () => (this.status = this.m.waitingForBankApproval(name)),
        });
        this.bankWindow = null;
        await this.settle(state);
      },
      (e) => {
        this.bankWindow = null;
        if ((e as Error)?.name !== 'BankWindowBlockedError') return false;
        this.alert = this.m.errorBankWindowBlocked;
        return true;
      },
    );
  }

  /**
   * Pay was pressed while the frame was hidden, transparent or covered (a page may do that to make a shopper pay
   * unknowingly): nothing is asked of the passkey or the server; the shopper reads why, the merchant gets `frame_obscured`.
   */
  private onPayObscured() {
    const message = this.m.errorFrameObscured;
    this.alert = message;
    this.channel.post({ type: 'error', code: 'frame_obscured', message });
  }

  /**
   * The confirmation's answer was lost (no connection, a 5xx, an unreadable body) or the intent had already moved on:
   * the attempt may be running, so Pay comes back only once `/checkout` says none started. Rethrows `error` for that
   * (the alert); if `/checkout` fails too, assumes an attempt runs — the pending screen, whose watch asks again.
   */
  private async stateAfterLostAnswer(error: unknown): Promise<PaymentState> {
    const e = error as WalletApiError;
    // A 4xx is the server's definite "no" (nothing started), unless it says the intent is no longer waiting for Pay.
    if (e.status >= 400 && e.status < 500 && e.code !== 'payment_intent_unexpected_state') throw error;
    const state = await this.api.checkout(this.secret).catch((lost: WalletApiError) => {
      if (lost.code === CANCELED) throw lost;
      return { paymentIntentId: this.checkout!.paymentIntentId, status: 'processing' as const, lastError: null };
    });
    if (state.status === 'requires_confirmation') throw error;
    return state;
  }

  /**
   * Shows the outcome of a confirmed payment. While it is not known: a few quick polls (still busy, on the confirm
   * screen, as most banks answer in a second), then the pending screen, the `processing` message, and the watch.
   */
  private async settle(result: PaymentState) {
    if (isPending(result.status)) {
      const { pollQuickly, watchOutcome } = await import('./wait-for-outcome.ts');
      const poll = () => this.api.checkout(this.secret);
      result = await pollQuickly(result, poll, PaykeyWallet.timing);
      if (isPending(result.status)) {
        await this.showPending(result);
        if (!this.processingSent) {
          this.processingSent = true;
          this.channel.post({ type: 'processing', paymentIntentId: result.paymentIntentId, status: result.status });
        }
        // In the background: the shopper is free, and the merchant's server learns the outcome whatever happens here.
        const id = ++this.watchId;
        this.watching = true;
        void watchOutcome(result, poll, PaykeyWallet.timing, () => id !== this.watchId, (state) => {
          this.review = state.status === 'requires_review';
        }).then((state) => {
          if (!state) return;
          this.watching = false;
          if (!isPending(state.status)) void this.finish(state);
        });
        return;
      }
    }
    await this.finish(result);
  }

  private async showPending(result: PaymentState) {
    await import('../result/paykey-pending.ts');
    this.alert = '';
    this.review = result.status === 'requires_review';
    this.screen = 'pending';
  }

  /** A settled payment: paid, declined (another card may be tried), or canceled by the merchant. */
  private async finish(result: PaymentState) {
    const m = this.m;
    const c = this.checkout!;
    if (result.status === 'succeeded') {
      await this.show({ ok: true, heading: m.paymentComplete, body: m.paymentCompleteBody(formatAmount(c.amount, c.currency, this.locale, c.currencyDigits), c.payee), retry: false });
      this.channel.post({ type: 'success', paymentIntentId: result.paymentIntentId, status: result.status });
    } else if (result.status === 'failed') {
      // A failed payment always carries the bank's code; anything else is not an answer Paykey sends.
      const code = await serverCode(result.lastError?.code);
      const message = result.lastError?.message ?? m.errorGeneric;
      await this.show({ ok: false, heading: m.paymentFailed, body: message, retry: true });
      this.channel.post({ type: 'error', code, message });
    } else if (result.status === 'canceled') {
      await this.showCanceled();
    } else {
      // No attempt started after all: the shopper may pay.
      this.showCards();
    }
  }

  /** The merchant canceled the intent before it was confirmed: nothing to pay, nothing charged. */
  private async showCanceled() {
    const payee = this.checkout?.payee;
    const message = payee ? this.m.paymentCanceledBody(payee) : this.m.paymentCanceledByMerchant;
    await this.show({ ok: false, heading: this.m.paymentCanceled, body: message, retry: false });
    this.channel.post({ type: 'error', code: CANCELED, message });
  }

  private async show(outcome: Outcome) {
    await import('../result/paykey-result.ts');
    this.alert = '';
    this.outcome = outcome;
    this.screen = 'result';
  }

  /** A failure nothing in the frame can fix: show it and tell the merchant page. */
  private async fail(code: ErrorCode, message: string) {
    await this.show({ ok: false, heading: this.m.errorUnavailable, body: message, retry: false });
    this.channel.post({ type: 'error', code, message });
  }

  private showCards() {
    this.outcome = undefined;
    this.alert = '';
    if (this.cards.length || this.checkout?.payByBank) this.screen = 'confirm';
    else void this.openCardForm();
  }

  /**
   * The same key for a resubmission of the same details (say, after a lost answer), a new one for other details.
   * Only a digest of the details is kept, never the details themselves.
   */
  private async cardIdempotencyKey(details: object): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(details)));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    if (this.cardKey?.digest !== hex) this.cardKey = { digest: hex, key: crypto.randomUUID() };
    return this.cardKey.key;
  }

  private onCancel() {
    // Waiting for the bank: Cancel closes its window, which ends the payment unless it was approved already.
    if (this.bankWindow && !this.bankWindow.closed) return this.bankWindow.close();
    // While a passkey prompt or a payment is under way the outcome is not ours to drop: Cancel waits.
    if (this.busy) return;
    this.channel.post({ type: 'cancel' });
  }

  // ——— Helpers ———

  /**
   * Runs one shopper action with the controls disabled and `status` announced; errors go to the alert region unless
   * `handle` takes them.
   */
  private async run(status: string, action: () => Promise<void>, handle?: (error: unknown) => boolean): Promise<boolean> {
    // Busy buttons stay focusable (aria-disabled), so a second press must be refused here: no double payment.
    if (this.busy) return false;
    this.busy = true;
    this.alert = '';
    this.status = status;
    try {
      await action();
      return true;
    } catch (error) {
      // Whatever the shopper was doing, a canceled intent ends the checkout; awaited so Pay never comes back meanwhile.
      if (error instanceof WalletApiError && error.code === CANCELED) await this.showCanceled();
      else if (!handle?.(error)) this.alert = this.describe(error);
      return false;
    } finally {
      this.busy = false;
      this.status = '';
    }
  }

  private describe(error: unknown): string {
    const m = this.m;
    if (error instanceof WalletApiError) return error.code === 'network_error' ? m.errorNetwork : error.message || m.errorGeneric;
    const name = (error as Error)?.name;
    if (name === 'NotAllowedError' || name === 'AbortError') return m.errorPasskeyCancelled;
    if (name === 'NotSupportedError' || name === 'SecurityError') return m.errorPasskeyUnsupported;
    return m.errorGeneric;
  }

  private adoptSession(session: SessionResponse) {
    this.session = session.sessionToken;
    this.shopper = session.shopper;
    this.setCards(session.cards);
    this.cache();
  }

  private setCards(cards: SavedCard[], preferred = this.selectedId) {
    this.cards = cards;
    this.selectedId = cards.find((c) => c.id === preferred)?.id ?? cards[0]?.id;
  }

  private cache() {
    if (this.shopper) void writeWallet(this.shopper, this.cards);
  }

  private adoptBrand() {
    const root = this.shadowRoot;
    if (root && this.checkout?.bank) root.adoptedStyleSheets = [...root.adoptedStyleSheets, bankThemeSheet(this.checkout.bank)];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paykey-wallet': PaykeyWallet;
  }
}
