import type { CheckoutView, OfferSettings, OffersResponse, PaymentTerms, Receipt, SavedCard, ShopperSummary, SpendingSummaryResponse } from '../../shopper-api.ts';
import { enFirstScreen } from '../i18n/en-first-screen.ts';
import type { FirstScreenMessages, Locale } from '../i18n/messages.ts';

/**
 * The wallet's screens. `notice` is the one drawn by the wallet itself, with no module to load: what is left when
 * nothing else can be shown (a screen's code failed to download, the checkout cannot be had).
 */
export type Screen =
  | 'loading'
  | 'sign-in'
  | 'card-form'
  | 'confirm'
  | 'pending'
  | 'result'
  | 'receipt'
  | 'payments'
  | 'manage-cards'
  | 'notice';

/** What the result (or notice) screen says. */
export interface Outcome {
  ok: boolean;
  heading: string;
  body: string;
  /** Offer "Try another card". */
  retry: boolean;
}

/** Everything the wallet element renders: the flow's state, replaced (never mutated) on every change. */
export interface FlowState {
  readonly screen: Screen;
  readonly locale: Locale;
  /**
   * The frame's table. Until the first screen after sign-in loads (`CheckoutFlow.go`, which loads the whole table with
   * every screen but sign-in), it holds the first screen's keys only: the wallet, the flow's own messages and sign-in
   * read no other. Code past sign-in reads the whole table through `isWholeTable` or `wholeTable` (whole-table.ts).
   */
  readonly m: FirstScreenMessages;
  readonly checkout?: CheckoutView;
  /** The shopper's cards: saved ones (maybe from the device cache) and one-time cards added for this payment. */
  readonly cards: readonly SavedCard[];
  readonly selectedId?: string;
  /** The terms of paying with the selected card, as quoted; undefined while they load (Pay waits for them). */
  readonly terms?: PaymentTerms;
  /** A shopper action runs: controls are `aria-disabled` and refuse presses. */
  readonly busy: boolean;
  /** Text of the alert region: errors are announced and shown here. */
  readonly alert: string;
  /** Text of the status region: what the frame waits for while `busy` (the passkey, the bank). */
  readonly status: string;
  /** The server's error about the card being added, shown in the card form. */
  readonly cardError: string;
  readonly outcome?: Outcome;
  /** On the pending screen: the bank's answer is being checked (`requires_review`), not awaited. */
  readonly review: boolean;
  /** The background watch is polling: the status region says what for. */
  readonly watching: boolean;
  /** The shopper is at their bank (its window is open): Cancel closes it, even while busy. */
  readonly atBank: boolean;
  /** Who this device knows (signed in, or from the cache): their Payments, Manage cards and Sign out are offered. */
  readonly shopper?: ShopperSummary;
  /** The outcome's receipt can be opened (the payment succeeded). */
  readonly receiptOffered: boolean;
  /** The receipt on the receipt screen. */
  readonly receipt?: Receipt;
  /** The Payments view's list, newest first. */
  readonly payments?: { readonly list: readonly Receipt[]; readonly hasMore: boolean };
  /** "receipt-ui": the shopper's spending this month, at the top of the Payments list and set with it; null when it could not be had in time. */
  readonly spendingSummary?: SpendingSummaryResponse | null;

  // ——— "confirm-ui": bank offers ———
  /** Each card's bank offers and costs for this payment; undefined until they arrive (or when they could not be had). */
  readonly offers?: OffersResponse;
  /**
   * The shopper's own pick per card id: an offer id, or null ("Don't use this offer"). A card without an entry gets the
   * wallet's pick (`offerToApply`: the best instant discount or cashback; never instalments).
   */
  readonly offerChoice: Readonly<Record<string, string | null>>;
  /** Offers the bank refused in this checkout, per card id: never applied again here. */
  readonly offersGone: Readonly<Record<string, readonly string[]>>;
  /** "This offer is no longer available. The amount is now …": shown (and focused) on the confirm screen. */
  readonly offerNotice: string;
  /** The two offer switches as the server last answered; undefined until known. */
  readonly offerSettings?: OfferSettings;
  /** The "Offer settings" panel is open. */
  readonly offerSettingsOpen: boolean;
}

export const initialState: FlowState = {
  screen: 'loading',
  locale: 'en',
  // The first screen's part until the whole table loads (see `FlowState.m`).
  m: enFirstScreen,
  cards: [],
  busy: false,
  alert: '',
  status: '',
  cardError: '',
  review: false,
  watching: false,
  atBank: false,
  receiptOffered: false,
  offerChoice: {},
  offersGone: {},
  offerNotice: '',
  offerSettingsOpen: false,
};
