import type { OfferSettings, OffersResponse, QuoteResponse, SessionResponse } from '../../shopper-api.ts';
import type { CardSubmitDetail } from '../card-form/paykey-card-form.ts';
import type { OfferKeeper } from '../offers/offer-keeper.ts';
import type { CardIdempotency } from './card-idempotency.ts';
import type { CheckoutFlow } from './checkout-flow.ts';
import type { FlowState } from './flow-state.ts';
import { flowTiming } from './flow-timing.ts';
import { payable, TermsKeeper } from './terms-keeper.ts';
import { savedCards, withCards } from './with-cards.ts';
import * as calls from '../api/shopper-calls.ts';
import { wholeTable } from './whole-table.ts';

type PayCode = typeof import('./pay.ts');

const expired = (iso: string) => !(Date.parse(iso) > Date.now());

/**
 * The card side of the checkout: signing in and registering (the sign-in screen's buttons; warmed as that screen
 * shows, `CheckoutFlow.afterFirstScreen`), a session adopted after sign-in (its cards into the state and the device's copy),
 * the card form (add a card, Back), the confirm screen (the chosen card's terms, the bank offers and their switches,
 * Pay by card or by bank), and a device whose cards the server no longer knows. Loaded
 * with every screen past sign-in (`CheckoutFlow.loadScreen`), in the confirm screen's chunk, so a new shopper's first
 * screen does not carry it. `CheckoutFlow` keeps the state and the shopper's intents; these run the card screens'
 * intents through its plumbing (`run`, `go`, `set`, `ensureSession`).
 */
export class CardCheckout {
  /** The selected card's terms, as `state.terms`. */
  readonly terms: TermsKeeper;
  /** Bumped to drop an offers answer no longer wanted (newer asked, signed out). */
  private offersAsked = 0;
  /** The card and offer (null: none) of the latest quote asked: the terms being fetched, or on screen. */
  quoted?: { cardId: string; offerId: string | null };
  /** The offers' side of the flow, loaded with their code once there are offers. */
  offerKeeper?: OfferKeeper;
  /** Idempotency keys of the cards added (add-card.ts creates it with the first). */
  cardKeys?: CardIdempotency;
  private paying?: Promise<PayCode>;

  constructor(readonly flow: CheckoutFlow) {
    this.terms = new TermsKeeper(
      {
        get state() {
          return flow.state;
        },
        set: (patch) => flow.set(patch),
        quote: (cardId) => (this.offerKeeper ? this.offerKeeper.quote(cardId) : this.plainQuote(cardId)),
        canceled: () => flow.showCanceled(),
        cardUnknown: () => this.forgetDevice(wholeTable(flow.state).errorCardUnknown),
      },
      flow.deps.timing ?? flowTiming,
    );
  }

  /** "Continue with passkey": a discoverable credential, no username typed. */
  async signIn(): Promise<void> {
    if (await this.passkeySignIn()) await this.afterSession();
  }

  /** "Create a passkey": the new shopper's passkey and session, then their first card. */
  async register(email: string): Promise<void> {
    const { flow } = this;
    const { api, webauthn } = flow.deps;
    const ok = await flow.run(flow.state.m.waitingForPasskey, async () => {
      const { challengeId, options } = await calls.registrationOptions(api, flow.secret, email);
      // Within the click's user activation, which creating a passkey in a cross-origin frame requires.
      const response = await webauthn.register(options);
      this.adoptSession(await calls.register(api, { client_secret: flow.secret, challenge_id: challengeId, response }));
    });
    if (ok) await this.afterSession();
  }

  /** The passkey asked for a session (`CheckoutFlow.ensureSession`); resolves true once one is held. */
  passkeySignIn(): Promise<boolean> {
    const { flow } = this;
    const { api, webauthn } = flow.deps;
    return flow.run(flow.state.m.waitingForPasskey, async () => {
      const { challengeId, options } = await calls.signInOptions(api, flow.secret);
      const response = await webauthn.authenticate(options);
      this.adoptSession(await calls.signIn(api, { client_secret: flow.secret, challenge_id: challengeId, response }));
    });
  }

  /**
   * A session from signing in or registering: its token in the flow's memory, the server's cards (saved ones only; a
   * one-time card added before, under a session that expired, stays usable) into the state and the device's cache,
   * and their offers asked for.
   */
  adoptSession(session: SessionResponse): void {
    const { flow } = this;
    flow.session = session.sessionToken;
    const oneTime = flow.state.cards.filter((c) => flow.oneTime.has(c.id));
    flow.set({ shopper: session.shopper, ...withCards(flow.state, [...session.cards, ...oneTime]) });
    this.cacheCards();
    void this.fetchOffers();
  }

  /** Once signed in: confirm when there are cards (or a bank to pay by), else the card form. */
  afterSession(): Promise<void> {
    const { state } = this.flow;
    return this.showCheckoutOr(state.cards.length || state.checkout?.payByBank ? 'confirm' : 'card-form');
  }

  /** A settled payment's result screen; else `screen`. */
  async showCheckoutOr(screen: 'sign-in' | 'confirm' | 'card-form'): Promise<void> {
    const o = this.flow.state.outcome;
    if (o && (o.ok || !o.retry)) return this.flow.set({ screen: 'result' });
    if (screen === 'sign-in') return this.flow.go(screen);
    await (screen === 'confirm' ? this.showConfirm() : this.openCardForm());
  }

  /** The device's copy of the wallet: the saved cards only. */
  cacheCards(): void {
    const { shopper } = this.flow.state;
    if (shopper) void this.flow.deps.cache.write(shopper, savedCards(this.flow.state, this.flow.oneTime));
  }

  /** "Add card" on the confirm screen. Cards shown from the device cache come without a session: the passkey first. */
  async addCard(): Promise<void> {
    if (await this.flow.ensureSession()) await this.openCardForm();
  }

  /** The card form's submit (its code: add-card.ts, loaded when the form shows). */
  async submitCard(d: CardSubmitDetail & { save?: boolean }): Promise<void> {
    const [code] = await Promise.all([import('./add-card.ts'), this.flow.wholeMessages()]);
    await code.submitCard(this, d);
  }

  /** Back from the card form, or "Try another card" after a decline. */
  async showCards(): Promise<void> {
    const { flow } = this;
    flow.set({ outcome: undefined, alert: '', receiptOffered: false });
    if (flow.state.cards.length || flow.state.checkout?.payByBank) await this.showConfirm();
    else await this.openCardForm();
  }

  async selectCard(id: string): Promise<void> {
    const { flow } = this;
    if (flow.state.busy || id === flow.state.selectedId) return;
    flow.set({ selectedId: id, terms: undefined, offerNotice: '' });
    await this.terms.refresh();
  }

  /**
   * Pay with the chosen card on the terms the shopper sees: the passkey signs the quote they were shown. A quote that
   * ran out (here, or at the server) is fetched anew and shown, and the shopper presses Pay again.
   */
  async pay(): Promise<void> {
    const { flow } = this;
    const { selectedId: cardId, checkout, terms, busy, m } = flow.state;
    if (!cardId || !checkout || busy) return;
    if (cardId.startsWith('bank:')) return this.payByBank(cardId.slice(5));
    // The screen says the terms are on their way: Pay waits for them.
    if (!terms || terms.cardId !== cardId) return;
    if (expired(terms.expiresAt)) return this.termsChanged();
    flow.processingSent = false;
    flow.set({ offerNotice: '' });
    // The challenge that came with these terms, if still good: the passkey is asked at once (taken now, used once).
    const challenge = this.terms.takeChallenge(terms.quoteId);
    let code: PayCode | undefined;
    await flow.run(
      m.waitingForPasskey,
      async () => {
        code = await this.payCode();
        await code.payWithCard(flow, cardId, terms, checkout, challenge);
      },
      (e) => code?.cardPaymentFailed(this, cardId, terms, e) ?? false,
    );
  }

  /**
   * Pay was pressed while the frame was hidden, transparent or covered (a page may do that to make a shopper pay
   * unknowingly): nothing is asked of the passkey or the server; the shopper reads why, the merchant gets `frame_obscured`.
   */
  async payObscured(): Promise<void> {
    const message = wholeTable(this.flow.state).errorFrameObscured;
    this.flow.set({ alert: message });
    this.flow.deps.channel.post({ type: 'error', code: 'frame_obscured', message });
  }

  /** "confirm-ui": the shopper picks how to pay with the chosen card (`OfferKeeper.choose`): an offer id, null (none), undefined (in full). */
  async chooseOffer(offerId: string | null | undefined): Promise<void> {
    await this.offerKeeper?.choose(offerId);
  }

  /** "Offer settings": opens or closes the panel of the two switches. */
  async toggleOfferSettings(): Promise<void> {
    await this.offerKeeper?.toggleSettings();
  }

  /** One of the two switches turned: saved at the server, and offers asked again. */
  async setOfferSetting(which: keyof OfferSettings, on: boolean): Promise<void> {
    await this.offerKeeper?.setSetting(which, on);
  }

  /** The card form, its submit's code downloading while the shopper types. */
  openCardForm(): Promise<void> {
    import('./add-card.ts').catch(() => {}); // A failure shows when the card is submitted.
    return this.flow.go('card-form', { cardError: '' });
  }

  async showConfirm(): Promise<void> {
    await this.flow.go('confirm', { outcome: undefined });
    await this.terms.ensure();
    // Offers that arrived while elsewhere (signing in, adding a card): the terms on screen must carry the offer to apply.
    if (this.offerKeeper?.outOfDate()) await this.terms.refresh();
  }

  /** The server no longer knows this device's cards: forget them and start over from sign-in. */
  forgetDevice(alert: string): void {
    const { flow } = this;
    void flow.deps.cache.clear();
    // Shown at once (its element upgrades when its code arrives): this runs inside an error handler, which cannot wait.
    flow.loadScreen('sign-in').catch(() => {});
    flow.session = undefined;
    flow.oneTime.clear();
    this.terms.stop();
    flow.set({ shopper: undefined, cards: [], selectedId: undefined, terms: undefined, screen: 'sign-in', alert, ...this.noOffers() });
  }

  /** The quote ran out before the passkey signed it: new terms, shown, and the shopper presses Pay again. */
  async termsChanged(): Promise<void> {
    this.flow.set({ alert: wholeTable(this.flow.state).termsChanged });
    await this.terms.refresh();
  }

  // ——— "confirm-ui": bank offers and the shopper's two offer switches (their logic: offers/offer-keeper.ts) ———

  /**
   * Asks for every card's offers and costs (the server gives each bank 800 ms) while the offers' code loads, then shows
   * them; the terms are quoted anew when the offer to apply changed. A failure means no offers, nothing else.
   */
  async fetchOffers(): Promise<void> {
    const { flow } = this;
    const id = ++this.offersAsked;
    const cardIds = flow.state.cards.map((c) => c.id);
    if (!payable(flow.state.checkout) || !cardIds.length) return;
    let offers: OffersResponse | undefined;
    try {
      [offers] = await Promise.all([calls.offers(flow.deps.api, flow.secret, cardIds, flow.session, flow.state.locale), this.loadOfferKeeper()]);
    } catch {
      offers = undefined;
    }
    if (id !== this.offersAsked || (!offers && !flow.state.offers)) return;
    flow.set({ offers, offerSettings: offers?.settings ?? flow.state.offerSettings });
    // Never under a running payment, whose passkey signs the terms on screen; elsewhere, showing the confirm screen does it.
    if (!flow.state.busy && flow.state.screen === 'confirm' && this.offerKeeper?.outOfDate()) await this.terms.refresh();
  }

  /** Signed out, or the device forgotten: no offers, choices or switches of that shopper stay. */
  noOffers(): Partial<FlowState> {
    this.offersAsked++;
    this.quoted = undefined;
    return { offers: undefined, offerChoice: {}, offersGone: {}, offerNotice: '', offerSettings: undefined, offerSettingsOpen: false };
  }

  private async loadOfferKeeper(): Promise<void> {
    // With `<paykey-offers>` (one chunk): the confirm screen shows the offers once they are set.
    const [{ offerKeeperFor }] = await Promise.all([import('../offers/offer-keeper.ts'), this.flow.wholeMessages()]);
    this.offerKeeper ??= offerKeeperFor(this);
  }

  private plainQuote(cardId: string): Promise<QuoteResponse> {
    this.quoted = { cardId, offerId: null };
    return calls.quote(this.flow.deps.api, this.flow.secret, cardId);
  }

  // ——— Paying ———

  /**
   * Pay by bank (loaded on demand): the bank's window opens now, in Pay's click, as popup blockers require; the
   * passkey then confirms, the window shows the bank's consent page, and the outcome settles as for cards.
   */
  private async payByBank(bank: string): Promise<void> {
    const { flow } = this;
    const m = wholeTable(flow.state);
    flow.processingSent = false;
    flow.bankWindow = open('about:blank', '_blank', 'popup,width=480,height=720');
    await flow.run(
      m.waitingForPasskey,
      async () => (await this.payCode()).payByBank(flow, bank, flow.bankWindow),
      (e) => {
        flow.bankWindow = null;
        flow.set({ atBank: false });
        if ((e as Error)?.name !== 'BankWindowBlockedError') return false;
        flow.set({ alert: m.errorBankWindowBlocked });
        return true;
      },
    );
  }

  /** Paying's code (pay.ts), warmed once the first screen shows; fetched again after a failed download. */
  payCode(): Promise<PayCode> {
    this.paying ??= Promise.all([import('./pay.ts'), this.flow.wholeMessages()]).then(([code]) => code);
    this.paying.catch(() => (this.paying = undefined));
    return this.paying;
  }
}
