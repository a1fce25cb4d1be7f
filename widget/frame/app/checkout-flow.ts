import { intentIdFromClientSecret } from '../../protocol.ts';
import type { BrandsView, CheckoutAnswer, Receipt } from '../../shopper-api.ts';
import type { ErrorCode } from '../../error-codes.ts';
import { WalletApiError } from '../api/wallet-api.ts';
import { loadFirstScreenMessages, loadMessages, resolveLocale } from '../i18n/messages.ts';
import type { CardCheckout } from './card-checkout.ts';
import { describeError, isApiError, messageForCode } from './describe-error.ts';
import type { FlowDeps } from './flow-deps.ts';
import { initialState, type FlowState, type Outcome, type Screen } from './flow-state.ts';
import type { ShopperViews } from './shopper-views.ts';
import type { PaymentState } from './wait-for-outcome.ts';

/** The merchant canceled the intent: `/checkout` says `canceled`, the confirmation calls answer 409 with this code. */
const CANCELED = 'payment_intent_canceled';

/** The card screens' intents, each a method of `CardCheckout` of the same name. */
const cardIntents = ['signIn', 'register', 'addCard', 'submitCard', 'showCards', 'selectCard', 'pay', 'payObscured', 'chooseOffer', 'toggleOfferSettings', 'setOfferSetting'] as const;
type CardIntent = (typeof cardIntents)[number];
/** The shopper's own views' intents, each a method of `ShopperViews` of the same name. */
const viewIntents = ['openReceipt', 'openPayments', 'loadMorePayments', 'openPaymentReceipt', 'openManageCards', 'removeCard', 'signOut', 'back', 'refreshReceipt'] as const;
type ViewIntent = (typeof viewIntents)[number];
/** An intent as the elements call it: the method's arguments; it never rejects. */
type Intent<M> = M extends (...args: infer A) => unknown ? (...args: A) => Promise<void> : never;

/**
 * The checkout, one state machine reading top to bottom: init from the loader → checkout + device cache → sign in or
 * register → add a card → the card's terms (fee, exchange rate) → confirm with a passkey → outcome → receipt; and the
 * shopper's own views (payments, manage cards, sign out). Every network call and ceremony happens here, through the
 * collaborators it is given; the wallet element renders `state` and moves the focus.
 *
 * The shopper's intents are its public methods. None rejects: an action's failure is said in the alert region, and
 * anything unexpected ends on a screen with a message (never "Loading…" for ever).
 */
export class CheckoutFlow {
  state: FlowState = initialState;

  /** Held in memory only: never cached, so a stolen device cache cannot act as the shopper. */
  /** @internal */
  session?: string;
  /** @internal */
  secret = '';
  private started = false;
  /** `processing` goes to the loader once per payment attempt. */
  /** @internal */
  processingSent = false;
  /** Bumped to stop the background watch (a newer one started, or the frame went away). */
  /** @internal */
  watchId = 0;
  /** Cards added for this payment only: never cached, dropped once the payment's outcome is known. */
  /** @internal */
  readonly oneTime = new Set<string>();
  /** The bank's window while paying by bank. */
  /** @internal */
  bankWindow: Window | null = null;
  /** The brands (`/brands`), asked for once; null when they could not be had (asked again next time). */
  private brandsAsked?: Promise<BrandsView | null>;
  /** The receipt the confirmation answered with, if any. */
  /** @internal */
  paymentReceipt?: Receipt;
  /** Where Back leads from the shopper's own views, and from a receipt. */
  /** @internal */
  checkoutScreen: Screen = 'confirm';
  /** @internal */
  receiptReturn: Screen = 'confirm';

  /** The card screens' side of the flow (terms, offers, Pay), once loaded (`cardCode`). */
  /** @internal */
  card?: CardCheckout;
  private cardLoading?: Promise<CardCheckout>;
  private shopperViews?: Promise<ShopperViews>;
  /** The whole message table, once asked for (`wholeMessages`). */
  private wholeTable?: Promise<void>;
  /** The first screen showed without reading the device cache (`afterFirstScreen` reads it). */
  private cacheUnread = false;

  constructor(
    readonly deps: FlowDeps,
    private readonly onChange: (state: FlowState) => void,
  ) {
    // The card screens' and the shopper's views' intents (declared below), each run by its code once loaded.
    for (const name of cardIntents) Object.assign(this, { [name]: this.cardIntent(name) });
    for (const name of viewIntents) Object.assign(this, { [name]: this.viewIntent(name) });
  }

  // ——— Checkout ———

  readonly start = this.intent(async ({ clientSecret, locale }: { clientSecret: string; locale: string }) => {
    if (this.started) return;
    this.started = true;
    this.secret = clientSecret;
    const wanted = resolveLocale(locale, this.deps.languages);
    // The first screen's strings; the rest load with the next screens (`loadScreen`). A Chinese table that cannot be
    // downloaded leaves the frame in English rather than on "Loading…".
    const messages = loadFirstScreenMessages(wanted).catch(() => null);
    // The loader derived our path from the secret; a mismatch means a confused or hostile embedder.
    const mismatch = intentIdFromClientSecret(clientSecret) !== this.deps.frameIntentId;
    // Asked at once, while the messages and the device cache load.
    const checkout = mismatch ? null : this.deps.api.checkout(clientSecret);
    checkout?.catch(() => {}); // Handled below; avoids an unhandled rejection meanwhile.
    const m = await messages;
    // The first screen's part stands for the table until `wholeMessages` replaces it (see `FlowState.m`).
    if (m) this.set({ locale: wanted, m });
    if (!checkout) return this.fail('intent_mismatch', this.state.m.errorIntentMismatch);

    // Returning shopper: show the cached cards before any network round trip. The device's hint says whether this is
    // one: only then does the first screen wait for the IndexedDB read, whose first open in a fresh profile is the
    // slowest step before it. Otherwise sign-in shows without it, and the cache is read once that screen shows: one
    // that finds saved cards after all (a stale hint) brings the shopper to confirm (`afterFirstScreen`).
    const cached = this.deps.cache.expectsCards() ? await this.deps.cache.read() : undefined;
    // The first screen's code (the saved cards' confirm screen, else sign-in) downloads while the checkout is on its way.
    const first = cached?.cards.length ? 'confirm' : 'sign-in';
    this.loadScreen(first).catch(() => {}); // Awaited (and its failure handled) where the screen is shown.
    // Confirm shows the cards' banks' logos and colours: their brands are asked for beside the checkout. Sign-in
    // shows none of them: for a new shopper they are asked for once the first screen shows (`afterFirstScreen`).
    const brands = cached?.cards.length ? this.bankBrands() : undefined;
    if (cached?.cards.length) {
      await this.loadScreen('confirm');
      // The first card is chosen (`withCards` on the initial state: nothing chosen yet, no terms).
      this.set({ shopper: cached.shopper, cards: cached.cards, selectedId: cached.cards[0].id, screen: 'confirm' });
    }
    let view: CheckoutAnswer;
    try {
      view = await checkout;
    } catch (error) {
      const e = error instanceof WalletApiError ? error : new WalletApiError('bad_response', String(error));
      if (e.code === CANCELED) return this.showCanceled();
      await this.wholeMessagesIfAny(); // The code's text in the shopper's language.
      return this.fail(e.code, e.code === 'network_error' ? this.state.m.errorNetwork : messageForCode(this.state.m, e.code, e.message, this.state.m.errorUnavailable));
    }
    // The first checkout: a new shopper's brands come once the first screen shows (`afterFirstScreen`).
    this.set({ checkout: { banks: [], ...view, ...(await brands) } });
    const { paymentIntentId, status, lastError } = view;
    if (status === 'canceled') return this.showCanceled();
    // Confirmed before this frame loaded (the page was reloaded), or failed: payment-outcome.ts says where it stands.
    if (status !== 'requires_confirmation' && (await (await this.outcomeCode()).resume(this, { paymentIntentId, status, lastError }))) return;
    if (this.state.screen === 'loading') await this.go('sign-in');
    else void this.card?.terms.refresh();
    // In the background: the screen never waits on offers. Only cards have offers, and the card screens' code is here
    // whenever there are cards (confirm loaded it for them).
    void this.card?.fetchOffers();
    this.cacheUnread = cached === undefined;
  });

  /**
   * Once the first screen is up (the wallet calls this after `ready`, in a task of its own): the card screens' code and
   * paying's, and the card banks' brands, and, on a device whose hint did not say saved cards, its cache (code and
   * IndexedDB), so that none is on a new shopper's path. Saved cards after all (a stale hint, e.g. a cache written by an
   * older frame) bring the shopper to confirm; that code loads only then. Never rejects.
   */
  async afterFirstScreen(): Promise<void> {
    // A failed download is tried again with the next screen, or when Pay is pressed.
    this.cardCode()
      .then((card) => card.payCode())
      .catch(() => {});
    void this.showBrands();
    if (!this.cacheUnread) return;
    this.cacheUnread = false;
    const found = await this.deps.cache.read().catch(() => null);
    if (!found?.cards.length) return;
    await import('./confirm-if-cached.ts').then((code) => code.confirmIfCached(this, found)).catch(() => {}); // Sign-in stays.
  }

  /** "Continue with passkey": a discoverable credential, no username typed. */
  declare readonly signIn: Intent<CardCheckout['signIn']>;
  /** "Create a passkey" with the new shopper's email. */
  declare readonly register: Intent<CardCheckout['register']>;

  // ——— Signing in, and the card screens: add a card, choose one and its offer, pay (their code: card-checkout.ts, see `cardIntent`) ———

  /** "Add card" on the confirm screen. */
  declare readonly addCard: Intent<CardCheckout['addCard']>;
  /** The card form's submit. */
  declare readonly submitCard: Intent<CardCheckout['submitCard']>;
  /** Back from the card form, or "Try another card" after a decline. */
  declare readonly showCards: Intent<CardCheckout['showCards']>;
  declare readonly selectCard: Intent<CardCheckout['selectCard']>;
  /** Pay with the chosen card (or bank) on the terms the shopper sees. */
  declare readonly pay: Intent<CardCheckout['pay']>;
  /** "confirm-ui": the shopper picks how to pay with the chosen card: an offer id, null (none), undefined (in full). */
  declare readonly chooseOffer: Intent<CardCheckout['chooseOffer']>;
  /** "Offer settings": opens or closes the panel of the two switches. */
  declare readonly toggleOfferSettings: Intent<CardCheckout['toggleOfferSettings']>;
  /** One of the two switches turned: saved at the server, and offers asked again. */
  declare readonly setOfferSetting: Intent<CardCheckout['setOfferSetting']>;
  /** Pay pressed while the frame could not be seen (`CardCheckout.payObscured`). */
  declare readonly payObscured: Intent<CardCheckout['payObscured']>;

  cancel(): void {
    // Waiting for the bank: Cancel closes its window, which ends the payment unless it was approved already.
    if (this.bankWindow && !this.bankWindow.closed) return this.bankWindow.close();
    // While a passkey prompt or a payment is under way the outcome is not ours to drop: Cancel waits.
    if (this.state.busy) return;
    this.deps.channel.post({ type: 'cancel' });
  }

  /** The frame went away: no more polling or quoting. */
  stop(): void {
    this.watchId++;
    this.card?.terms.stop();
  }

  // ——— The shopper's own views (their code: shopper-views.ts, loaded on first use) ———

  declare readonly openReceipt: Intent<ShopperViews['openReceipt']>;
  declare readonly openPayments: Intent<ShopperViews['openPayments']>;
  declare readonly loadMorePayments: Intent<ShopperViews['loadMorePayments']>;
  declare readonly openPaymentReceipt: Intent<ShopperViews['openPaymentReceipt']>;
  declare readonly openManageCards: Intent<ShopperViews['openManageCards']>;
  declare readonly removeCard: Intent<ShopperViews['removeCard']>;
  declare readonly signOut: Intent<ShopperViews['signOut']>;
  declare readonly back: Intent<ShopperViews['back']>;
  declare readonly refreshReceipt: Intent<ShopperViews['refreshReceipt']>;

  // ——— Session and cards ———

  /** The session, asking for the passkey when there is none (cards shown from the device cache). */
  /** @internal */
  ensureSession(): Promise<boolean> {
    return this.session ? Promise.resolve(true) : this.cardCode().then((card) => card.passkeySignIn());
  }

  // ——— The brands, the later code, and the outcome ———

  /**
   * The brands into the checkout, asked for once the first screen shows (with the checkout already when that screen
   * is confirm). Until they arrive, and if they cannot be had, the neutral theme shows, and a card's bank its name.
   */
  private async showBrands(): Promise<void> {
    const brands = await this.bankBrands();
    const checkout = this.state.checkout;
    // Without a checkout yet, `start` puts them in with it.
    if (brands && checkout) this.set({ checkout: { ...checkout, ...brands } });
  }

  private bankBrands(): Promise<BrandsView | null> {
    this.brandsAsked ??= this.deps.api.brands().then(
      (view) => view,
      () => {
        this.brandsAsked = undefined;
        return null;
      },
    );
    return this.brandsAsked;
  }

  /**
   * The card screens' code (card-checkout.ts: terms, offers, Pay), loaded with every screen past sign-in and warmed
   * once the first screen shows; fetched again after a failed download.
   */
  /** @internal */
  cardCode(): Promise<CardCheckout> {
    this.cardLoading ??= import('./card-checkout.ts').then(({ CardCheckout }) => (this.card ??= new CardCheckout(this)));
    this.cardLoading.catch(() => (this.cardLoading = undefined));
    return this.cardLoading;
  }

  /** The shopper's own views' code, fetched on first use (again after a failed download). */
  private views(): Promise<ShopperViews> {
    this.shopperViews ??= Promise.all([import('./shopper-views.ts'), this.wholeMessages()]).then(([{ ShopperViews }]) => new ShopperViews(this));
    this.shopperViews.catch(() => (this.shopperViews = undefined));
    return this.shopperViews;
  }

  /** Shows the outcome of a confirmed payment (its code: payment-outcome.ts, loaded when a payment has one). */
  async settle(result: PaymentState) {
    await (await this.outcomeCode()).settle(this, result);
  }

  /** payment-outcome.ts, with the whole table its screens read. */
  private async outcomeCode() {
    const [code] = await Promise.all([import('./payment-outcome.ts'), this.wholeMessages()]);
    return code;
  }

  /** The merchant canceled the intent before it was confirmed: nothing to pay, nothing charged. */
  /** @internal */
  async showCanceled() {
    const m = this.state.m;
    const payee = this.state.checkout?.payee;
    const message = payee ? m.paymentCanceledBody(payee) : m.paymentCanceledByMerchant;
    this.card?.terms.stop();
    await this.show({ ok: false, heading: m.paymentCanceled, body: message, retry: false });
    this.deps.channel.post({ type: 'error', code: CANCELED, message });
  }

  /** A failure nothing in the frame can fix: show it and tell the merchant page. */
  private async fail(code: ErrorCode, message: string) {
    await this.show({ ok: false, heading: this.state.m.errorUnavailable, body: message, retry: false });
    this.deps.channel.post({ type: 'error', code, message });
  }

  /** The result screen, or the notice (drawn by the wallet itself) when its code cannot be loaded. Never rejects. */
  /** @internal */
  async show(outcome: Outcome, patch: Partial<FlowState> = {}) {
    await this.go('result', { ...patch, alert: '', outcome }).catch(() => this.set({ ...patch, alert: '', outcome, screen: 'notice' }));
  }

  // ——— Plumbing ———

  /** Loads a screen's element, then shows it. */
  /** @internal */
  async go(screen: Screen, patch: Partial<FlowState> = {}) {
    await this.loadScreen(screen);
    this.set({ ...patch, screen });
  }

  /**
   * A screen's code and, for every screen but sign-in (which reads the first screen's part only), the whole table and
   * the card screens' code (`cardCode`, in the same chunk as the confirm screen's): an action on any of them finds both.
   */
  /** @internal */
  async loadScreen(screen: Screen): Promise<void> {
    await Promise.all([this.deps.loadScreen(screen), screen !== 'sign-in' && Promise.all([this.wholeMessages(), this.cardCode()])]);
  }

  /**
   * The whole table for the frame's locale into `state.m` (it held the first screen's part): loaded with the first
   * screen after sign-in, with the code that reads the later screens' strings, and warmed once the first screen shows.
   * Fetched again after a failed download.
   */
  wholeMessages(): Promise<void> {
    this.wholeTable ??= loadMessages(this.state.locale).then((m) => this.set({ m }));
    this.wholeTable.catch(() => (this.wholeTable = undefined));
    return this.wholeTable;
  }

  /** The whole table, if it can be had: a failed download leaves the first screen's part (codes read as a general message). */
  private wholeMessagesIfAny(): Promise<void> {
    return this.wholeMessages().catch(() => {});
  }

  /**
   * Runs one shopper action with the controls disabled and `status` announced; errors go to the alert region unless
   * `handle` takes them. Resolves whether the action completed.
   */
  /** @internal */
  async run(status: string, action: () => Promise<void>, handle?: (error: unknown) => boolean): Promise<boolean> {
    // Busy buttons stay focusable (aria-disabled), so a second press must be refused here: no double payment.
    if (this.state.busy) return false;
    this.set({ busy: true, alert: '', status });
    try {
      await action();
      return true;
    } catch (error) {
      // Whatever the shopper was doing, a canceled intent ends the checkout; awaited so Pay never comes back meanwhile.
      if (isApiError(error, CANCELED)) await this.showCanceled();
      else if (!handle?.(error)) {
        await this.wholeMessagesIfAny(); // Signing in may fail before the whole table is in: a code's text needs it.
        this.set({ alert: describeError(this.state.m, error) });
      }
      return false;
    } finally {
      this.set({ busy: false, status: '' });
    }
  }

  /** A shopper intent: never rejects to the element that called it. */
  private intent<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      try {
        await action(...args);
      } catch (error) {
        this.unexpected(error);
      }
    };
  }

  /**
   * An intent of the card screens, run by their code (`CardCheckout[name]`): loaded with those screens (`loadScreen`),
   * so it is there and the intent runs at once, within the shopper's click (Pay by bank opens the bank's window in it).
   * Named rather than written out, so the first screen's chunk carries a name per intent, not a function.
   */
  private cardIntent<K extends CardIntent>(name: K): (...args: Parameters<CardCheckout[K]>) => Promise<void> {
    return this.intent(async (...args: Parameters<CardCheckout[K]>) => {
      const card = this.card ?? (await this.cardCode());
      await (card[name] as (...a: Parameters<CardCheckout[K]>) => Promise<void>)(...args);
    });
  }

  /** An intent of the shopper's own views, run by their code (`ShopperViews[name]`, loaded on first use). */
  private viewIntent<K extends ViewIntent>(name: K): (...args: Parameters<ShopperViews[K]>) => Promise<void> {
    return this.intent(async (...args: Parameters<ShopperViews[K]>) => {
      const views = await this.views();
      await (views[name] as (...a: Parameters<ShopperViews[K]>) => Promise<void>)(...args);
    });
  }

  /**
   * Something no handler expected (a screen's code that failed to download, say). On a screen the shopper can act on,
   * the alert says so and the controls come back; before the first screen, the notice (and the merchant page hears it).
   */
  /** @internal */
  unexpected(error: unknown) {
    const m = this.state.m;
    const message = describeError(m, error);
    this.set({ busy: false, status: '', atBank: false });
    if (this.state.screen !== 'loading') return this.set({ alert: message });
    this.set({ screen: 'notice', alert: '', outcome: { ok: false, heading: m.errorUnavailable, body: message, retry: false } });
    this.deps.channel.post({ type: 'error', code: error instanceof WalletApiError ? error.code : 'bad_response', message });
  }

  /** @internal */
  set(patch: Partial<FlowState>) {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }
}
