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
  bankName: string;
  bankToken: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface ShopperSummary {
  id: string;
  email: string;
}

export interface BankBrandView {
  id: string;
  name: string;
  logo: string;
  colors: { primary: string; onPrimary: string; accent: string };
}

/** POST /api/frame/checkout  { client_secret } → what the confirm screen shows. */
export interface CheckoutRequest { client_secret: string }
export interface CheckoutView {
  paymentIntentId: string;
  amount: number;
  currency: string;
  /** The currency's ISO 4217 minor-unit digits as the amount is charged (USD 2, JPY 0, KWD 3, HUF 2). */
  currencyDigits: number;
  description: string | null;
  payee: string;
  status: PaymentStatus;
  lastError: { code: string; message: string } | null;
  bank: BankBrandView;
  /** Pay by bank, when the wallet offers it for this payment (a bank is configured and carries it): that bank. */
  payByBank?: BankBrandView | null;
}

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
/** POST /api/frame/cards (Bearer session) → 201 { card }. The only request that carries a card number. */
export interface AddCardRequest { number: string; exp_month: number; exp_year: number; cvc: string; name: string }
export interface AddCardResponse { card: SavedCard }
/** DELETE /api/frame/cards/:id (Bearer session) → 204 */

/** POST /api/frame/confirmations/options  { client_secret, card_id } (session optional) */
export interface ConfirmOptionsRequest { client_secret: string; card_id: string }
export interface ConfirmOptionsResponse { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }
/** POST /api/frame/confirmations  { client_secret, challenge_id, response } → the intent's outcome */
export interface ConfirmRequest { client_secret: string; challenge_id: string; response: AuthenticationResponseJSON }
export interface ConfirmResponse {
  paymentIntentId: string;
  /** `processing` at worst once an attempt has started: the merchant learns the outcome from its webhook or GET. */
  status: Exclude<PaymentStatus, 'requires_confirmation'>;
  lastError: { code: string; message: string } | null;
}

/** POST /api/frame/bank-payments/options  { client_secret, bank } (session optional): a passkey challenge for paying by bank. */
export interface BankPaymentOptionsRequest { client_secret: string; bank: string }
/**
 * POST /api/frame/bank-payments  { client_secret, challenge_id, response } → the intent (`processing` while the
 * shopper approves at their bank) and the bank page to open for it (null when the bank has not created the
 * consent yet: the intent then settles on its own and the frame watches its status).
 */
export interface BankPaymentResponse extends ConfirmResponse { authorizationUrl: string | null }
