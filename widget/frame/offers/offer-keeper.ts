import type { OfferSettings, PaymentTerms, QuoteResponse } from '../../shopper-api.ts';
import type { CardCheckout } from '../app/card-checkout.ts';
import { isApiError } from '../app/describe-error.ts';
import type { FlowApi } from '../app/flow-deps.ts';
import type { FlowState } from '../app/flow-state.ts';
import { sessionLost } from '../app/session-lost.ts';
import { formatAmount } from '../money/format-amount.ts';
import { offersMessages } from './offers-messages.ts';
import { offerToApply } from './offer-to-apply.ts';
// The offers' element comes in the same chunk: the confirm screen shows it once the keeper is there.
import './paykey-offers.ts';
import * as calls from '../api/shopper-calls.ts';

/** What the keeper reads and does of the checkout flow. */
export interface OfferHost {
  readonly state: FlowState;
  set(patch: Partial<FlowState>): void;
  readonly api: FlowApi;
  readonly secret: string;
  /** The shopper's session, if one is held. */
  readonly session: string | undefined;
  /** A session, asking for the passkey when none is held; resolves whether one is. */
  ensureSession(): Promise<boolean>;
  /** One shopper action, busy meanwhile (`CheckoutFlow.run`). */
  run(status: string, action: () => Promise<void>, handle?: (error: unknown) => boolean): Promise<boolean>;
  /** A 401: the session is forgotten and the shopper told (true), else false. */
  sessionLost(error: unknown): boolean;
  /** New terms for the chosen card (`TermsKeeper.refresh`). */
  refreshTerms(): Promise<void>;
  /** Every card's offers asked again. */
  fetchOffers(): Promise<void>;
  /** The card and offer (null: none) of the latest quote asked: the terms being fetched, or on screen. */
  quoted?: { cardId: string; offerId: string | null };
}

/**
 * The offers' side of the checkout flow, loaded with the offers' code once there are offers (the first screen never
 * carries it): which offer a payment applies, quoting with it, an offer the bank refused (dropped, said, the shopper
 * confirms the new amount), the shopper's pick, and the two switches.
 */
export class OfferKeeper {
  constructor(private readonly host: OfferHost) {}

  /** The offer a payment with `cardId` applies: the shopper's pick, else the wallet's (`offerToApply`); null: none. */
  offerFor(cardId: string): string | null {
    const { offers, offerChoice, offersGone } = this.host.state;
    const card = offers?.cards.find((c) => c.cardId === cardId);
    if (!offers || !card || !(offers.settings.general || offers.settings.personalized)) return null;
    const gone = offersGone[cardId] ?? [];
    const choice = offerChoice[cardId];
    if (choice === null) return null;
    if (choice !== undefined && card.offers.some((o) => o.offerId === choice) && !gone.includes(choice)) return choice;
    return offerToApply(card, gone);
  }

  /** The terms on screen (or being fetched) do not carry the offer the chosen card should apply now. */
  outOfDate(): boolean {
    const cardId = this.host.state.selectedId;
    const q = this.host.quoted;
    return !!cardId && !cardId.startsWith('bank:') && (q?.cardId !== cardId || q.offerId !== this.offerFor(cardId));
  }

  /** The terms for `cardId` with its offer; an offer the bank refuses now is dropped, said, and the terms quoted without it. */
  async quote(cardId: string): Promise<QuoteResponse> {
    const { host } = this;
    const offerId = this.offerFor(cardId);
    host.quoted = { cardId, offerId };
    if (!offerId) return calls.quote(host.api, host.secret, cardId);
    try {
      return await calls.quote(host.api, host.secret, cardId, offerId, host.state.locale);
    } catch (error) {
      if (!isApiError(error, 'offer_unavailable')) throw error;
      this.gone(cardId, offerId);
      host.quoted = { cardId, offerId: null };
      const answer = await calls.quote(host.api, host.secret, cardId);
      host.set({ offerNotice: this.unavailableText(answer.terms) });
      return answer;
    }
  }

  /** The signed offer was refused at confirmation (nothing charged): new terms without it, the new amount said; Pay must be pressed again. */
  async withdrawn(cardId: string, offerId: string): Promise<void> {
    this.gone(cardId, offerId);
    await this.host.refreshTerms();
    const terms = this.host.state.terms;
    if (terms?.cardId === cardId && !terms.offer) this.host.set({ offerNotice: this.unavailableText(terms) });
  }

  /**
   * The shopper picks how to pay with the chosen card: an offer id (instalments, or an offer they had removed), null
   * ("Don't use this offer"), or undefined ("Pay in full": the wallet's own pick). The terms are quoted anew.
   */
  async choose(offerId: string | null | undefined): Promise<void> {
    const { state } = this.host;
    const cardId = state.selectedId;
    if (state.busy || !cardId || cardId.startsWith('bank:')) return;
    const { [cardId]: _, ...others } = state.offerChoice;
    this.host.set({ offerChoice: offerId === undefined ? others : { ...others, [cardId]: offerId }, offerNotice: '' });
    await this.host.refreshTerms();
  }

  /**
   * "Offer settings": opens (or closes) the panel of the two switches, as the server has them — asked with the session
   * when one is held, else as the offers' answer said; with neither, the passkey signs in first.
   */
  async toggleSettings(): Promise<void> {
    const { host } = this;
    if (host.state.busy) return;
    if (host.state.offerSettingsOpen) return host.set({ offerSettingsOpen: false });
    host.set({ offerSettingsOpen: true });
    if (!host.session && host.state.offerSettings) return;
    if (!(await host.ensureSession())) return;
    await host.run(this.text().loadingSettings, async () => {
      host.set({ offerSettings: await calls.offerSettings(host.api, host.session!) });
    }, (e) => host.sessionLost(e));
  }

  /** One switch turned: saved at the server (with the session), shown as it answered, and the offers asked again. */
  async setSetting(which: keyof OfferSettings, on: boolean): Promise<void> {
    const { host } = this;
    const current = host.state.offerSettings;
    if (host.state.busy || !current || !(await host.ensureSession())) return;
    const saved = await host.run(this.text().savingSettings, async () => {
      host.set({ offerSettings: await calls.updateOfferSettings(host.api, host.session!, { ...current, [which]: on }) });
    }, (e) => host.sessionLost(e));
    if (saved) await host.fetchOffers();
  }

  private gone(cardId: string, offerId: string) {
    const gone = this.host.state.offersGone;
    this.host.set({ offersGone: { ...gone, [cardId]: [...(gone[cardId] ?? []), offerId] } });
  }

  private unavailableText({ debit }: PaymentTerms): string {
    return this.text().unavailable(formatAmount(debit.amount, debit.currency, this.host.state.locale, debit.currencyDigits));
  }

  private text() {
    return offersMessages[this.host.state.locale];
  }
}

/** The keeper of `card`'s offers; built here, with the offers' code, so the card code's chunk does not carry the wiring. */
export function offerKeeperFor(card: CardCheckout): OfferKeeper {
  const { flow } = card;
  const host: OfferHost = {
    get state() {
      return flow.state;
    },
    set: (patch) => flow.set(patch),
    api: flow.deps.api,
    get secret() {
      return flow.secret;
    },
    get session() {
      return flow.session;
    },
    get quoted() {
      return card.quoted;
    },
    set quoted(quoted) {
      card.quoted = quoted;
    },
    ensureSession: () => flow.ensureSession(),
    run: (status, action, handle) => flow.run(status, action, handle),
    sessionLost: sessionLost(flow),
    refreshTerms: () => card.terms.refresh(),
    fetchOffers: () => card.fetchOffers(),
  };
  return new OfferKeeper(host);
}
