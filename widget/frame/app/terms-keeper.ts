import type { PaymentChallenge, QuoteResponse } from '../../shopper-api.ts';
import { WalletApiError } from '../api/wallet-api.ts';
import { describeError, isApiError } from './describe-error.ts';
import type { FlowTiming } from './flow-deps.ts';
import type { FlowState } from './flow-state.ts';

/** What the keeper reads and writes of the checkout flow. */
export interface TermsHost {
  readonly state: FlowState;
  set(patch: Partial<FlowState>): void;
  /** Asks the card's bank for the terms of paying with `cardId` (`WalletApi.quote`). */
  quote(cardId: string): Promise<QuoteResponse>;
  /** The merchant canceled the intent. */
  canceled(): Promise<void>;
  /** The server no longer knows the card (this device's copy is out of date). */
  cardUnknown(): void;
}

/** The intent still waits for the shopper to pay (a failed attempt may be retried with another card). */
export const payable = (checkout: FlowState['checkout']) => checkout?.status === 'requires_confirmation' || checkout?.status === 'failed';

/**
 * The terms of paying with the selected card, as `state.terms`: fetched when a card is chosen (Pay waits meanwhile),
 * refreshed by itself `quoteLead` before they expire — never under a running payment, whose passkey signs the terms
 * on screen — and retried `quoteRetry` after a failure that may pass. A definite refusal (a 4xx) stays on screen.
 */
export class TermsKeeper {
  /** Bumped to drop an answer no longer wanted (another card chosen, newer terms asked, stopped). */
  private asked = 0;
  private timer?: ReturnType<typeof setTimeout>;
  /** The alert a failed quote wrote, cleared by the next good one. */
  private alert = '';
  /** The challenge that came with the terms on screen (bound to their quote), until Pay takes it. */
  private challenge?: { quoteId: string; held: PaymentChallenge };

  constructor(
    private readonly host: TermsHost,
    private readonly timing: Pick<FlowTiming, 'quoteLead' | 'quoteRetry'>,
  ) {}

  /** New terms for the selected card. Never rejects. */
  async refresh(): Promise<void> {
    const { host } = this;
    clearTimeout(this.timer);
    const id = ++this.asked;
    this.challenge = undefined;
    const { selectedId: cardId, checkout } = host.state;
    if (host.state.terms) host.set({ terms: undefined });
    if (!cardId || cardId.startsWith('bank:') || !payable(checkout)) return;
    try {
      const { terms, confirmation } = await host.quote(cardId);
      if (id !== this.asked) return;
      this.challenge = confirmation ? { quoteId: terms.quoteId, held: confirmation } : undefined;
      host.set({ terms, ...(this.alert && host.state.alert === this.alert ? { alert: '' } : {}) });
      this.alert = '';
      this.refreshIn(Date.parse(terms.expiresAt) - Date.now() - this.timing.quoteLead);
    } catch (error) {
      if (id !== this.asked) return;
      if (isApiError(error, 'payment_intent_canceled')) return host.canceled();
      // The intent was found by /checkout, so a 404 here is the card.
      if (isApiError(error, 'resource_missing')) return host.cardUnknown();
      this.alert = describeError(host.state.m, error);
      host.set({ alert: this.alert });
      // A definite refusal (say, a card whose bank cannot convert) stands: another card may be chosen. Else, retry.
      const status = error instanceof WalletApiError ? error.status : 0;
      if (!(status >= 400 && status < 500)) this.refreshIn(this.timing.quoteRetry);
    }
  }

  /** Terms for the selected card that will not expire under the shopper's eyes: those on screen, or new ones. */
  async ensure(): Promise<void> {
    const { terms, selectedId } = this.host.state;
    if (!terms || terms.cardId !== selectedId || !(Date.parse(terms.expiresAt) - this.timing.quoteLead > Date.now())) await this.refresh();
  }

  /**
   * The challenge that came with `quoteId`'s terms, once: Pay hands it to the passkey without asking the server for
   * one. Undefined when there is none, it was taken, or it could expire while the passkey prompt is open (its
   * `timeout`); Pay then asks `/confirmations/options`.
   */
  takeChallenge(quoteId: string): PaymentChallenge | undefined {
    const kept = this.challenge;
    this.challenge = undefined;
    if (!kept || kept.quoteId !== quoteId) return undefined;
    const promptMs = kept.held.options.timeout ?? 60_000;
    return Date.parse(kept.held.expiresAt) - promptMs > Date.now() ? kept.held : undefined;
  }

  /** No more quotes (the payment is under way or over, the shopper signed out, the frame went away). */
  stop(): void {
    this.asked++;
    this.challenge = undefined;
    clearTimeout(this.timer);
  }

  private refreshIn(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // Elsewhere than the confirm screen, `ensure()` on the way back does it.
      if (this.host.state.busy) this.refreshIn(1000);
      else if (this.host.state.screen === 'confirm') void this.refresh();
    }, Math.max(0, ms));
  }
}
