/**
 * Wire types of the shopper API that the wallet frame calls (same origin as the
 * frame, under `/api/frame/`). Shared by the server routes and the frame, type-only.
 *
 * Auth: intent-scoped calls carry the `client_secret` in the JSON body (never in
 * a URL); shopper-scoped calls carry `Authorization: Bearer <session_token>`.
 * Errors: 4xx `{ error: { code, message } }` as everywhere else.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { ServerErrorCode } from './error-codes.ts';

/**
 * A payment intent's state: `requires_confirmation` → `processing` → `succeeded` | `failed` (retryable with
 * another card); `canceled` by the merchant before confirmation; `requires_review` when the bank's answer
 * could not be had for too long (an operator resolves it; never failed without the bank's word).
 */
export type PaymentStatus = 'requires_confirmation' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'requires_review';

/** Every error answer; `code` is one the server sends (`error-codes.ts`). */
export interface ApiErrorBody {
  error: { code: ServerErrorCode; message: string };
}

/** A saved card as the frame sees it and caches in IndexedDB: never a number or CVC. */
export interface SavedCard {
  id: string;
  bank: string;
  /** The issuing bank's name per locale (`en` always). */
  bankName: { en: string; 'zh-CN'?: string };
  bankToken: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** ISO 4217 code of the card's account (a Lotus Bank card: "CNY"), or null: charged in the payment's currency. */
  currency: string | null;
}

export interface ShopperSummary {
  id: string;
  email: string;
}

/**
 * A bank's (or the operator's) brand as the frame applies it (see `BankBrand` in server/adapters/bank-adapter.ts), checked
 * against the rules of widget/frame/theme/brand-problems.ts by the server when loaded and by the frame before use.
 */
export interface BankBrandView {
  id: string;
  /** Per locale: `en` always, `zh-CN` when the bank has it. */
  name: { en: string; 'zh-CN'?: string };
  logo: string;
  colors: { primary: string; onPrimary: string; accent: string; background: string; text: string; border: string };
  radius: string;
  fontStack: string;
  support: { phone?: string; email?: string; url?: string };
}

/** POST /api/frame/checkout  { client_secret } → the payment as its first screen shows it (the bank brands: `BrandsView`). */
export interface CheckoutRequest { client_secret: string }
export interface CheckoutAnswer {
  paymentIntentId: string;
  amount: number;
  currency: string;
  /** The currency's ISO 4217 minor-unit digits as the amount is charged (USD 2, JPY 0, KWD 3, HUF 2). */
  currencyDigits: number;
  description: string | null;
  payee: string;
  status: PaymentStatus;
  lastError: { code: string; message: string } | null;
  /** Pay by bank, when the wallet offers it for this payment (a bank is configured and carries it): that bank. */
  payByBank?: BankBrandView | null;
}

/**
 * GET /api/frame/brands → the operator's brand and every card bank's. No shopper or payment data: cacheable (5 minutes,
 * then revalidated by ETag), and kept out of the checkout every first screen waits for: no screen shows a bank's
 * brand before a card is chosen, and the operator's is applied only after `paykey-ready` (its check's code loads then).
 */
export interface BrandsView {
  /**
   * The wallet operator's brand ("Paykey" unless the operator configured its own): the screens before a card is
   * chosen show it, and it stands in for a bank whose own brand was refused.
   */
  operator: BankBrandView;
  /** The brand of every card bank the wallet routes cards to, by `id` (a `SavedCard.bank`): a card's screens show its bank's. */
  banks: BankBrandView[];
}

/**
 * The checkout as the frame's screens read it: `/checkout`'s answer with `/brands`' (until that arrived, no `operator`
 * and `banks` empty: the screens show the built-in neutral theme and a card's bank by its name).
 */
export interface CheckoutView extends CheckoutAnswer, Partial<Pick<BrandsView, 'operator'>>, Pick<BrandsView, 'banks'> {}

/**
 * What a payment with one card costs the shopper, as quoted by the card's bank and shown on the confirm screen —
 * and, by its `quoteId`, bound into the passkey challenge: the shopper signs exactly these figures.
 */
export interface PaymentTerms {
  /** Ours (`quo_…`); the passkey challenge names it. */
  quoteId: string;
  cardId: string;
  /** The payment's amount and currency (what the merchant is paid). */
  amount: number;
  currency: string;
  /** Fee charged to the shopper by their bank, in the payment's currency (0: none). */
  fee: number;
  /** Present when the card's currency differs from the payment's. */
  fx: {
    /** Units of the card's currency per unit of the payment's, exact: "7.1234" is `1 USD = 7.1234 CNY`. */
    rate: string;
    /** Whose rate: the bank's name for it, e.g. "Lotus Bank treasury". */
    source: string;
  } | null;
  /** What the card is debited: amount + fee, converted when `fx` is set. */
  debit: { amount: number; currency: string; currencyDigits: number };
  /** ISO 8601: after it the quote is void and the frame asks for a new one before Pay. */
  expiresAt: string;
  /**
   * The bank offer applied, signed with the payment: `amount` stays the gross (what the merchant asked), `debit` is
   * `offer.effect.charged` + fee (converted). Null: none applied.
   */
  offer: AppliedOffer | null;
}

/** The kinds of bank offer (server/adapters/bank-offers.ts). */
export type OfferKind = 'instant_discount' | 'cashback' | 'instalments';

/** An offer's value for this payment, in minor units of the payment's currency (the same shape as the adapter's `OfferValue`). */
export type OfferValueView =
  | { kind: 'instant_discount'; discount: number }
  | { kind: 'cashback'; cashback: number; expectedBy: string }
  | { kind: 'instalments'; count: number; firstInstalment: number; perInstalment: number; totalFees: number; aprBasisPoints: number };

/** What paying with an offer means (`offerEffect`): charged to the card, due now, back later, an instalment plan's fees. */
export interface OfferEffectView { charged: number; dueNow: number; comesBackLater: number; planFees: number }

/**
 * A bank offer as the wallet shows it, for one card on this payment. Paykey keeps none of these unless the shopper
 * applies one (it is then part of the signed terms); the merchant never sees them.
 */
export interface OfferView {
  offerId: string;
  version: number;
  cardId: string;
  /** The card's bank (adapter id). */
  bank: string;
  kind: OfferKind;
  /** True: the bank chose it from the shopper's spending there ("Why am I seeing this?" says so). */
  personalized: boolean;
  /** Who funds it: `merchant`/`shared` offers reach the merchant as the offer id and discount only. */
  fundedBy: 'bank' | 'merchant' | 'shared';
  /** In the checkout's language. */
  title: string;
  terms: string;
  value: OfferValueView;
  effect: OfferEffectView;
  refundPolicy: 'revoke_on_any_refund' | 'revoke_on_full_refund';
  /** ISO 8601: how long the bank's quote of it holds (the wallet asks again by itself); never shown as the offer's end. */
  expiresAt: string;
  /**
   * ISO 8601: when the offer itself ends (its campaign), null when the bank announces no end. The confirm screen shows
   * "Offer ends at …" only when it falls within the next 30 minutes.
   */
  endsAt: string | null;
}

/**
 * An offer as applied to a quote and signed. `endsAt` is the bank's, from the fresh quote of the offer that `/quotes`
 * asked for; Paykey does not store it, so terms rebuilt from a stored quote say null (no end to show).
 */
export interface AppliedOffer extends Omit<OfferView, 'cardId' | 'bank'> {
  /** sha256 hex of the offer's full terms, bound into the passkey challenge. */
  termsHash: string;
}

/**
 * What one way of paying with one card costs, in the payment's currency before any conversion (the best-card formula,
 * widget/frame/offers/best-card.ts): `charged` + `fee` − `comesBackLater`. `estimate` is true when part of it is not
 * certain (cashback not yet credited).
 */
export interface PaymentOptionCost {
  /** The offer this option applies; null: paying in full without one. */
  offerId: string | null;
  charged: number;
  dueNow: number;
  /** The card's bank fee on `charged` (a foreign-transaction fee is the FX markup). */
  fee: number;
  comesBackLater: number;
  /** charged + fee − comesBackLater. */
  net: number;
  estimate: boolean;
}

/** POST /api/frame/offers  { client_secret, card_ids } (session optional) → each card's offers and costs. */
export interface OffersRequest { client_secret: string; card_ids: string[] }
export interface CardOffers {
  cardId: string;
  /** False when the card's bank did not answer within 800 ms (or has no offers capability): no offers, costs still shown. */
  answered: boolean;
  offers: OfferView[];
  /** Paying in full first, then one per offer (instalment offers included: they are never pre-selected). */
  costs: PaymentOptionCost[];
  /** The card's currency differs from the payment's: its debit is converted (rate on the confirm screen). */
  crossCurrency: boolean;
}
export interface OffersResponse { cards: CardOffers[]; settings: OfferSettings }

/**
 * The shopper's two offer switches (the card owner's). `general`: "Offers for everyone with this card" (not based on
 * the shopper's data; on by default). `personalized`: "Offers chosen from my spending at my bank" (off until turned
 * on; the bank records the consent). Both off: no offers are asked for.
 */
export interface OfferSettings { general: boolean; personalized: boolean }
/** GET /api/frame/offer-settings (Bearer session) → OfferSettings; PUT /api/frame/offer-settings (Bearer session) { general, personalized } → OfferSettings. */
export interface OfferSettingsRequest { general: boolean; personalized: boolean }

/** POST /api/frame/quotes  { client_secret, card_id, offer_id? } (session optional) → the terms of paying with that card. */
/** `offer_id`: apply this bank offer (one of `OffersResponse`'s for this card); unavailable now → 409 `offer_unavailable`. */
export interface QuoteRequest { client_secret: string; card_id: string; offer_id?: string }
export interface QuoteResponse {
  terms: PaymentTerms;
  /** A challenge bound to these terms, for Pay to hand the passkey at once; null when Pay must ask `/confirmations/options` (which then says why). */
  confirmation: PaymentChallenge | null;
}
/** A payment challenge and its options for `navigator.credentials.get`, usable once, until `expiresAt`. */
export interface PaymentChallenge { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON; expiresAt: string }

/** POST /api/frame/registrations/options  { client_secret, email } */
export interface RegistrationOptionsRequest { client_secret: string; email: string }
export interface RegistrationOptionsResponse { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }
/** POST /api/frame/registrations  { client_secret, challenge_id, response } */
export interface RegistrationVerifyRequest { client_secret: string; challenge_id: string; response: RegistrationResponseJSON }

/** POST /api/frame/sessions/options  { client_secret } (discoverable credential, no username) */
export interface SignInOptionsRequest { client_secret: string }
export interface SignInOptionsResponse { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }
/** POST /api/frame/sessions  { client_secret, challenge_id, response } */
export interface SignInVerifyRequest { client_secret: string; challenge_id: string; response: AuthenticationResponseJSON }

/** Answer of both registration and sign-in. */
export interface SessionResponse { sessionToken: string; expiresAt: string; shopper: ShopperSummary; cards: SavedCard[] }

/** GET /api/frame/cards (Bearer session) → { cards } */
export interface CardListResponse { cards: SavedCard[] }
/**
 * POST /api/frame/cards (Bearer session) → 201 { card }. The only request that carries a card number; the card's
 * bank is the one whose BIN table matches it. `save: false` (the default): the card pays this payment once — it is
 * not listed, not cached, and its token is released at the bank after the payment (or when the session ends).
 */
export interface AddCardRequest { number: string; exp_month: number; exp_year: number; cvc: string; name: string; save?: boolean }
export interface AddCardResponse { card: SavedCard & { saved: boolean } }
/** DELETE /api/frame/cards/:id (Bearer session) → 204: the token is released at the bank, the card gone from the list. */

/** DELETE /api/frame/sessions/current (Bearer session) → 204: "Sign out on this device"; the session ends server-side. */

/** A receipt: everything the shopper saw and signed, and what happened. */
export interface Receipt {
  paymentIntentId: string;
  /** The attempt's reference at the bank, e.g. for the shopper's bank statement or support. */
  reference: string;
  payee: string;
  description: string | null;
  status: PaymentStatus;
  amount: number;
  currency: string;
  currencyDigits: number;
  fee: number;
  fx: { rate: string; source: string } | null;
  debit: { amount: number; currency: string; currencyDigits: number };
  /** The card paid with: its issuing bank's id (the brand to show it in), brand, last 4 and the bank's name. */
  card: { bank: string; brand: string; last4: string; bankName: { en: string; 'zh-CN'?: string } } | null;
  /** Paid by bank instead of a card: the bank's name. */
  payByBank: { en: string; 'zh-CN'?: string } | null;
  /** ISO 8601: when the shopper confirmed. */
  createdAt: string;
  /** ISO 8601: when the outcome was known, null while processing. */
  settledAt: string | null;
  /** The bank offer applied to this payment, and where it stands. */
  offer: ReceiptOffer | null;
  /** ISO 18245 category of the merchant (widget/merchant-categories.ts). */
  category: string;
}

export interface ReceiptOffer {
  offerId: string;
  kind: OfferKind;
  title: string;
  personalized: boolean;
  value: OfferValueView;
  effect: OfferEffectView;
  /** `applied`; `revoked`: undone at the bank (the payment failed, or a refund under its policy). */
  status: 'applied' | 'revoked';
  /** Cashback only: expected by a date, then credited (as the bank reports it). */
  cashback: { amount: number; expectedBy: string; creditedAt: string | null } | null;
}

/**
 * GET /api/frame/spending-summary (Bearer session) → the shopper's own spending this month (UTC), from their own
 * payments (succeeded, less refunds), by merchant category, per currency, with a projected month-end total. Shown
 * only to them; nothing leaves the wallet.
 */
export interface SpendingSummaryResponse {
  /** "2026-12". */
  month: string;
  /** How `projected` is computed, for the screen: spent so far ÷ days elapsed × days in the month. */
  method: 'linear_daily_average';
  daysElapsed: number;
  daysInMonth: number;
  totals: {
    currency: string;
    currencyDigits: number;
    spent: number;
    projected: number;
    byCategory: { category: string; amount: number }[];
  }[];
}

/** GET /api/frame/payments?limit=&starting_after= (Bearer session) → the shopper's payments across merchants, newest first. */
export interface PaymentListResponse { payments: Receipt[]; hasMore: boolean }
/** GET /api/frame/payments/:paymentIntentId (Bearer session) → { receipt } of one of the shopper's payments. */
export interface ReceiptResponse { receipt: Receipt }

/** POST /api/frame/confirmations/options  { client_secret, card_id } (session optional) */
/** `quote_id`: the terms the shopper saw (`POST /quotes`); expired → 409 `quote_expired`, the frame re-quotes. */
export interface ConfirmOptionsRequest { client_secret: string; card_id: string; quote_id: string }
export interface ConfirmOptionsResponse { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }
/** POST /api/frame/confirmations  { client_secret, challenge_id, response } → the intent's outcome */
export interface ConfirmRequest { client_secret: string; challenge_id: string; response: AuthenticationResponseJSON }
export interface ConfirmResponse {
  paymentIntentId: string;
  /** `processing` at worst once an attempt has started: the merchant learns the outcome from its webhook or GET. */
  status: Exclude<PaymentStatus, 'requires_confirmation'>;
  lastError: { code: string; message: string } | null;
  /** The receipt once the outcome is known (succeeded or failed); null while processing. */
  receipt?: Receipt | null;
  /**
   * A card confirmation sent without a session signs the shopper in: the passkey that confirmed the payment is theirs.
   * The frame keeps the token in memory only (its Payments and Manage cards then need no second passkey prompt).
   */
  session?: { sessionToken: string; expiresAt: string } | null;
}

/** POST /api/frame/bank-payments/options  { client_secret, bank } (session optional): a passkey challenge for paying by bank. */
export interface BankPaymentOptionsRequest { client_secret: string; bank: string }
/**
 * POST /api/frame/bank-payments  { client_secret, challenge_id, response } → the intent (`processing` while the
 * shopper approves at their bank) and the bank page to open for it (null when the bank has not created the
 * consent yet: the intent then settles on its own and the frame watches its status).
 */
export interface BankPaymentResponse extends ConfirmResponse { authorizationUrl: string | null }
