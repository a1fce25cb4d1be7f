import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import type {
  AddCardResponse,
  BankBrandView,
  BankPaymentResponse,
  CardListResponse,
  BrandsView,
  CheckoutAnswer,
  ConfirmOptionsResponse,
  ConfirmResponse,
  PaymentListResponse,
  Receipt,
  ReceiptResponse,
  RegistrationOptionsResponse,
  SavedCard,
  SessionResponse,
  SignInOptionsResponse,
} from '../../widget/shopper-api.ts';
import { paymentStatusSchema } from './merchant-api-schemas.ts';
import { receiptOfferSchema } from './offer-schemas.ts';
import { covers, sameType, type NamedMembers } from './same-type.ts';

/**
 * What the wallet frame's API (`/api/frame`) answers, as zod schemas for the OpenAPI document; each is proven
 * below to be the wire type of widget/shopper-api.ts that the routes and the frame use.
 */

const reason = z.object({ code: z.string(), message: z.string() });

// --- Cards, receipts and the payments list (helper "cards") ---
const localizedName = z.object({ en: z.string(), 'zh-CN': z.string().optional() });
const debitSchema = z.object({ amount: z.int(), currency: z.string(), currencyDigits: z.int() });

export const savedCardSchema = z.object({
  id: z.string(),
  bank: z.string(),
  bankName: localizedName.meta({ description: "The issuing bank's name per locale (`en` always)" }),
  bankToken: z.string(),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.int(),
  expYear: z.int(),
  currency: z.string().nullable().meta({ description: "ISO 4217 code of the card's account (a Lotus Bank card: CNY); null: charged in the payment's currency" }),
});

export const receiptSchema = z
  .object({
    paymentIntentId: z.string(),
    reference: z.string().meta({ description: "The attempt's reference at the bank (statements, support)" }),
    payee: z.string(),
    description: z.string().nullable(),
    status: paymentStatusSchema,
    amount: z.int(),
    currency: z.string(),
    currencyDigits: z.int(),
    fee: z.int().meta({ description: "Fee charged to the shopper by their bank, in the payment's currency (0: none)" }),
    fx: z.object({ rate: z.string(), source: z.string() }).nullable().meta({ description: 'The exchange rate signed, when the card is in another currency' }),
    debit: debitSchema.meta({ description: 'What the card or account was debited: amount + fee, converted when `fx` is set' }),
    card: z.object({ bank: z.string().meta({ description: "The issuing bank's adapter id" }), brand: z.string(), last4: z.string(), bankName: localizedName }).nullable(),
    payByBank: localizedName.nullable().meta({ description: "Paid by bank instead of a card: the bank's name" }),
    createdAt: z.string().meta({ format: 'date-time', description: 'When the shopper confirmed' }),
    settledAt: z.string().nullable().meta({ format: 'date-time', description: 'When the outcome was known; null while processing' }),
    offer: receiptOfferSchema.nullable().meta({ description: 'The bank offer applied, and where it stands (cashback expected, then credited)' }),
    category: z.string().meta({ description: "The merchant's category (from its MCC)" }),
  })
  .meta({ description: 'What the shopper saw and signed, and what happened' });

export const paymentListResponseSchema = z.object({
  payments: z.array(receiptSchema).meta({ description: 'Newest first' }),
  hasMore: z.boolean().meta({ description: 'More after the last one: ask again with `starting_after` = its `paymentIntentId`' }),
});
export const receiptResponseSchema = z.object({ receipt: receiptSchema });
// --- end of cards ---

// --- Brands and the checkout view (helper "brand") ---
const localizedText = z.object({ en: z.string(), 'zh-CN': z.string().optional() });
const hexColor = (meta: string) => z.string().meta({ description: `${meta}: an opaque hex colour (#rgb or #rrggbb)` });

export const bankBrandSchema = z
  .object({
    id: z.string().meta({ description: 'The bank adapter id (a saved card\'s `bank`), or "operator" for the wallet operator' }),
    name: localizedText.meta({ description: 'Per locale: `en` always, `zh-CN` when the bank has it' }),
    logo: z.string().meta({ description: 'A data:image/svg+xml URL' }),
    colors: z.object({
      primary: hexColor('Buttons and highlights'),
      onPrimary: hexColor('Text on primary, at least 4.5:1 against it'),
      accent: hexColor('The focus ring, at least 3:1 against background'),
      background: hexColor('The surface of the screens'),
      text: hexColor('Body text, at least 4.5:1 against background'),
      border: hexColor('Borders of fields and cards, at least 3:1 against background'),
    }),
    radius: z.string().meta({ description: 'Corner radius in px, 0px to 24px' }),
    fontStack: z.string().meta({ description: 'A font-family list ending in a generic family' }),
    support: z.object({ phone: z.string().optional(), email: z.string().optional(), url: z.string().optional() }),
  })
  .meta({ description: 'A brand as the frame applies it (--paykey-* custom properties); checked against WCAG 2.2 AA when loaded' });

export const checkoutViewSchema = z.object({
  paymentIntentId: z.string(),
  amount: z.int(),
  currency: z.string(),
  currencyDigits: z.int().meta({ description: "The currency's ISO 4217 minor-unit digits as the amount is charged" }),
  description: z.string().nullable(),
  payee: z.string(),
  status: paymentStatusSchema,
  lastError: reason.nullable(),
  payByBank: bankBrandSchema
    .nullable()
    .optional()
    .meta({ description: 'Pay by bank, when the wallet offers it for this payment: that bank' }),
});

export const brandsViewSchema = z.object({
  operator: bankBrandSchema.meta({ description: "The wallet operator's brand: the screens before a card is chosen, and the stand-in for a refused bank brand" }),
  banks: z.array(bankBrandSchema).meta({ description: "Every card bank's brand, by id (a saved card's `bank`): a card's screens show its bank's" }),
});
// --- end of brands ---

const credentialDescriptor = z.looseObject({ id: z.string(), type: z.string(), transports: z.array(z.string()).optional() });

/** WebAuthn options as @simplewebauthn sends them (the browser may be given more: the object stays open). */
const creationOptions = z
  .looseObject({
    rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
    user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string(),
    pubKeyCredParams: z.array(z.looseObject({ alg: z.number(), type: z.literal('public-key') })),
    timeout: z.number().optional(),
    excludeCredentials: z.array(credentialDescriptor).optional(),
  })
  .meta({ description: "PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3): pass to the browser's PublicKeyCredential.parseCreationOptionsFromJSON" });

const requestOptions = z
  .looseObject({
    challenge: z.string(),
    timeout: z.number().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(credentialDescriptor).optional(),
    userVerification: z.string().optional(),
  })
  .meta({ description: "PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3): pass to the browser's PublicKeyCredential.parseRequestOptionsFromJSON" });

export const registrationOptionsResponseSchema = z.object({ challengeId: z.string(), options: creationOptions });
export const passkeyOptionsResponseSchema = z.object({ challengeId: z.string(), options: requestOptions });

export const sessionResponseSchema = z.object({
  sessionToken: z.string().meta({ description: 'Send as `Authorization: Bearer <sessionToken>`' }),
  expiresAt: z.string().meta({ format: 'date-time' }),
  shopper: z.object({ id: z.string(), email: z.string() }),
  cards: z.array(savedCardSchema),
});

export const cardListResponseSchema = z.object({ cards: z.array(savedCardSchema) });
export const addCardResponseSchema = z.object({
  card: savedCardSchema.extend({ saved: z.boolean().meta({ description: 'false: a one-time card, never listed, released at the bank once paid with' }) }),
});

export const confirmResponseSchema = z.object({
  paymentIntentId: z.string(),
  status: paymentStatusSchema.exclude(['requires_confirmation']),
  lastError: reason.nullable(),
  receipt: receiptSchema.nullable().optional().meta({ description: 'The receipt once the outcome is known; null while processing' }),
  session: z
    .object({ sessionToken: z.string(), expiresAt: z.string() })
    .nullable()
    .optional()
    .meta({ description: 'A card confirmation sent without a session signs the shopper in (their passkey confirmed it): a session token for the wallet\'s own views' }),
});

export const bankPaymentResponseSchema = confirmResponseSchema.extend({
  authorizationUrl: z.string().nullable().meta({ description: "The bank's page where the shopper approves; null while the bank has not created the consent (the intent then settles on its own)" }),
});


// `tsc` fails on a line below when a wire type and its schema part ways: change the schema above with the type.
sameType<z.infer<typeof savedCardSchema>, SavedCard>();
sameType<z.infer<typeof bankBrandSchema>, BankBrandView>();
sameType<z.infer<typeof bankPaymentResponseSchema>, BankPaymentResponse>();
sameType<z.infer<typeof checkoutViewSchema>, CheckoutAnswer>();
sameType<z.infer<typeof brandsViewSchema>, BrandsView>();
sameType<z.infer<typeof sessionResponseSchema>, SessionResponse>();
sameType<z.infer<typeof cardListResponseSchema>, CardListResponse>();
// `SavedCard & { saved }` flattened: the check tells an intersection from the same members in one object.
sameType<z.infer<typeof addCardResponseSchema>, { card: { [K in keyof AddCardResponse['card']]: AddCardResponse['card'][K] } }>();
sameType<z.infer<typeof confirmResponseSchema>, ConfirmResponse>();
sameType<z.infer<typeof receiptSchema>, Receipt>();
sameType<z.infer<typeof paymentListResponseSchema>, PaymentListResponse>();
sameType<z.infer<typeof receiptResponseSchema>, ReceiptResponse>();
sameType<Omit<z.infer<typeof registrationOptionsResponseSchema>, 'options'>, Omit<RegistrationOptionsResponse, 'options'>>();
sameType<Omit<z.infer<typeof passkeyOptionsResponseSchema>, 'options'>, Omit<SignInOptionsResponse, 'options'>>();
sameType<SignInOptionsResponse, ConfirmOptionsResponse>();
covers<NamedMembers<z.infer<typeof creationOptions>>, PublicKeyCredentialCreationOptionsJSON>();
covers<NamedMembers<z.infer<typeof requestOptions>>, PublicKeyCredentialRequestOptionsJSON>();
