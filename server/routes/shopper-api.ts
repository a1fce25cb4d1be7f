import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { BankBrand } from '../adapters/bank-adapter.ts';
import type { BankDirectory } from '../adapters/registry.ts';
import type { BrandLookup } from '../banks/bank-brands.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { readJsonBody } from '../http/json-body.ts';
import { confirmAccountPayment, prepareAccountPaymentConfirmation, type AccountPaymentConfirmationDeps } from '../payments/confirm-account-payment.ts';
import { confirmPayment, preparePaymentConfirmation, type KnownToRoute } from '../payments/confirm-payment.ts';
import { abandonAccountPayment } from '../payments/abandon-account-payment.ts';
import { getPaymentIntentByClientSecret } from '../payments/payment-intents.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { listCards, type CardRow } from '../shoppers/cards.ts';
import type { CheckoutAnswerOf } from './checkout-answer.ts';
import { toConfirmResponse, toSavedCard } from './shopper-views.ts';
import { bearerToken, createSession, shopperIdForSession } from '../shoppers/sessions.ts';
import { brandsRoute } from './brands-route.ts';
import { shopperCardRoutes } from './shopper-card-routes.ts';
import { receiptBankNames, shopperPaymentsRoutes } from './shopper-payments-routes.ts';
import { finalReceiptOf } from '../shoppers/receipts.ts';
import { quoteRoutes } from './quote-routes.ts';
import { offerRoutes } from './offer-routes.ts';
import { allowedOrigins, findMerchant } from '../store/merchants.ts';
import { finishPasskeyRegistration, startPasskeyRegistration } from '../webauthn/passkey-registration.ts';
import { finishPasskeySignIn, startPasskeySignIn } from '../webauthn/passkey-sign-in.ts';
import { expectedTopOrigins, relyingPartyFor } from '../webauthn/relying-party.ts';
import { authenticationResponseSchema, registrationResponseSchema } from '../webauthn/response-schemas.ts';
import type {
  BankPaymentResponse,
  CheckoutAnswer,
  ConfirmOptionsResponse,
  ConfirmResponse,
  RegistrationOptionsResponse,
  SavedCard,
  SessionResponse,
  SignInOptionsResponse,
} from '../../widget/shopper-api.ts';

// Request bodies are strict, as the merchant API's are: a key the route does not know (a typo, `__proto__`) is a 422,
// never silently dropped. The WebAuthn responses inside stay loose (response-schemas.ts): browsers add fields.
// Exported: the OpenAPI document (server/openapi/) is generated from these very schemas, and every route below is
// listed in server/openapi/api-operations.ts (test/server/openapi.test.ts fails until both agree).
const clientSecret = z.string().min(1).max(200);
const id = z.string().min(1).max(100);

export const checkoutBody = z.strictObject({ client_secret: clientSecret });
export const registrationOptionsBody = z.strictObject({
  client_secret: clientSecret,
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'must be an email address' }).max(254)),
});
export const registrationBody = z.strictObject({ client_secret: clientSecret, challenge_id: id, response: registrationResponseSchema });
export const signInBody = z.strictObject({ client_secret: clientSecret, challenge_id: id, response: authenticationResponseSchema });
export const confirmOptionsBody = z.strictObject({ client_secret: clientSecret, card_id: id, quote_id: id });
export const confirmBody = signInBody;
export const bankPaymentOptionsBody = z.strictObject({ client_secret: clientSecret, bank: id });

export interface ShopperApiDeps extends AccountPaymentConfirmationDeps {
  /** New cards go to the bank their number's BIN names (`bankForCardNumber`); its first bank's brand is the default. */
  banks: BankDirectory;
  /** Every ceremony, confirmation and card is counted by IP address, then by intent and/or shopper. */
  rateLimiter: RateLimiter;
  /** The wallet operator's brand (`readOperatorBrand`, server/banks/operator-brand.ts); default Paykey's. */
  operatorBrand?: BankBrand;
  /** Every bank's brand, checked once (`createBrandCache`, built with `operatorBrand`). */
  bankBrand: BrandLookup;
  /** The checkout's answer (`checkoutAnswerOf`): the frame page holds the same, sealed. */
  checkoutAnswer: CheckoutAnswerOf;
}

/**
 * The API the wallet frame calls (same origin as the frame). Intent-scoped
 * calls carry the client secret in the body; shopper-scoped ones a session
 * bearer token. Wire types: shopper-api-types.ts.
 */
export function shopperApi(deps: ShopperApiDeps) {
  const api = new Hono();
  const rp = relyingPartyFor(deps.publicOrigin);
  const { bankBrand } = deps;

  // A card whose bank is no longer configured cannot be paid with: leave it out rather than fail the list.
  const savedCards = (rows: CardRow[]): Promise<SavedCard[]> =>
    Promise.all(rows.filter((row) => deps.banks.has(row.bank)).map((row) => toSavedCard(row, deps.banks.get(row.bank), bankBrand)));

  /** The intent of a client secret and the top origins its merchant allows. */
  const checkoutContext = async (secret: string) => {
    const intent = await getPaymentIntentByClientSecret(deps.db, secret);
    const merchant = await findMerchant(deps.db, intent.merchant_id);
    if (!merchant) throw new Error(`Payment intent ${intent.id} has no merchant`);
    return { intent, merchant, ctx: { db: deps.db, rp, topOrigins: expectedTopOrigins(allowedOrigins(merchant), rp), now: deps.now() } };
  };

  /** For passkey ceremonies: a finished payment's client secret shows its outcome (`/checkout`) and opens nothing else. */
  const openCheckoutContext = async (secret: string) => {
    const context = await checkoutContext(secret);
    if (context.intent.status === 'canceled') {
      throw new PaykeyError('payment_intent_canceled', 'The merchant canceled this payment; nothing was charged');
    }
    if (context.intent.status === 'succeeded') {
      throw new PaykeyError('payment_intent_unexpected_state', 'This payment is complete');
    }
    return context;
  };

  const sessionResponse = async (result: { shopperId: string; email: string; session: { token: string; expiresAt: string } }) =>
    ({
      sessionToken: result.session.token,
      expiresAt: result.session.expiresAt,
      shopper: { id: result.shopperId, email: result.email },
      cards: await savedCards(await listCards(deps.db, result.shopperId)),
    }) satisfies SessionResponse;

  /** The shopper a session belongs to, for counting; an invalid session is left for the domain to refuse. */
  const sessionShopper = (token: string | undefined): Promise<string | undefined> =>
    token
      ? shopperIdForSession(deps.db, token, deps.now()).catch((error: unknown) => {
          if (error instanceof PaykeyError) return undefined;
          throw error;
        })
      : Promise.resolve(undefined);


  /** A confirmation counts for its intent (the client secret proves it) and, when signed in, for the shopper. */
  const limitConfirmation = async (c: Context, action: 'confirmation_options' | 'confirmation', secret: string) => {
    const intent = await getPaymentIntentByClientSecret(deps.db, secret);
    const shopper = await sessionShopper(bearerToken(c.req.header('authorization')));
    await deps.rateLimiter.byKeys(c, action, { intent: intent.id, shopper });
  };

  /**
   * A card payment's request: its body read, then its client secret and session proven, and the IP address, intent
   * and (signed in) shopper counted together in one statement — before anything is written or asked of a bank.
   */
  const guardedConfirmation = <T extends { client_secret: string }>(c: Context, action: 'confirmation_options' | 'confirmation', read: () => Promise<{ data: T }>) =>
    deps.rateLimiter.guard(c, action, async () => {
      const { data } = await read();
      const intent = await getPaymentIntentByClientSecret(deps.db, data.client_secret);
      const shopper = await sessionShopper(bearerToken(c.req.header('authorization')));
      // Read for counting, handed on: the confirmation does not read them again.
      const known: KnownToRoute = { intent, sessionShopperId: shopper };
      return { keys: { intent: intent.id, shopper }, value: { data, known } };
    });

  api.post('/checkout', async (c) => {
    const { data } = await readJsonBody(c, checkoutBody);
    const { intent, merchant } = await checkoutContext(data.client_secret);
    return c.json((await deps.checkoutAnswer(intent, merchant)) satisfies CheckoutAnswer);
  });
  // The brands: not in the checkout, which every first screen waits for and none shows before `paykey-ready`.
  api.route('/', brandsRoute({ banks: deps.banks, bankBrand }));

  // Each limited route counts the IP address first, then (once the client secret or session proved them) the
  // intent and shopper, and only then does anything: a 429 leaves no challenge, account, card or bank call.
  api.post('/registrations/options', async (c) => {
    await deps.rateLimiter.byIp(c, 'registration');
    const { data } = await readJsonBody(c, registrationOptionsBody);
    const { intent, ctx } = await openCheckoutContext(data.client_secret);
    await deps.rateLimiter.byKeys(c, 'registration', { intent: intent.id });
    const body: RegistrationOptionsResponse = await startPasskeyRegistration(ctx, intent, data.email);
    return c.json(body);
  });

  api.post('/registrations', async (c) => {
    await deps.rateLimiter.byIp(c, 'registration');
    const { data } = await readJsonBody(c, registrationBody);
    const { intent, ctx } = await openCheckoutContext(data.client_secret);
    await deps.rateLimiter.byKeys(c, 'registration', { intent: intent.id });
    const result = await finishPasskeyRegistration(ctx, intent, data.challenge_id, data.response);
    return c.json(await sessionResponse(result), 201);
  });

  api.post('/sessions/options', async (c) => {
    await deps.rateLimiter.byIp(c, 'sign_in');
    const { data } = await readJsonBody(c, checkoutBody);
    const { intent, ctx } = await openCheckoutContext(data.client_secret);
    await deps.rateLimiter.byKeys(c, 'sign_in', { intent: intent.id });
    const body: SignInOptionsResponse = await startPasskeySignIn(ctx, intent);
    return c.json(body);
  });

  api.post('/sessions', async (c) => {
    await deps.rateLimiter.byIp(c, 'sign_in');
    const { data } = await readJsonBody(c, signInBody);
    const { intent, ctx } = await openCheckoutContext(data.client_secret);
    await deps.rateLimiter.byKeys(c, 'sign_in', { intent: intent.id });
    const result = await finishPasskeySignIn(ctx, intent, data.challenge_id, data.response);
    return c.json(await sessionResponse(result), 201);
  });

  // The shopper's cards (list, add by BIN, remove) and their history and session (payments, receipts, sign-out).
  api.route('/', shopperCardRoutes({ ...deps, bankBrand, savedCards }));
  api.route('/', shopperPaymentsRoutes({ ...deps, bankBrand }));
  // The receipt a confirmation answers with once the outcome is known (the shopper who just paid sees it at once).
  const receipts = { db: deps.db, bankName: receiptBankNames({ ...deps, bankBrand }), banks: deps.banks };

  api.post('/confirmations/options', async (c) => {
    const { data, known } = await guardedConfirmation(c, 'confirmation_options', () => readJsonBody(c, confirmOptionsBody));
    const body: ConfirmOptionsResponse = await preparePaymentConfirmation(deps, {
      clientSecret: data.client_secret,
      cardId: data.card_id,
      quoteId: data.quote_id,
      sessionToken: bearerToken(c.req.header('authorization')),
      known,
    });
    return c.json(body);
  });

  api.post('/confirmations', async (c) => {
    const { data, known } = await guardedConfirmation(c, 'confirmation', () => readJsonBody(c, confirmBody));
    const sessionToken = bearerToken(c.req.header('authorization'));
    const { intent, shopperId } = await confirmPayment(deps, {
      clientSecret: data.client_secret,
      challengeId: data.challenge_id,
      response: data.response,
      sessionToken,
      known,
    });
    // The passkey that confirmed the payment signed the shopper in too: a wallet that paid from its device cache
    // (no session) can then show their receipts and cards without a second prompt. A finished payment's client
    // secret opens no sign-in ceremony, so this is the only moment for it.
    const session = sessionToken ? null : await createSession(deps.db, shopperId, deps.now());
    const body: ConfirmResponse = {
      ...toConfirmResponse(intent),
      receipt: await finalReceiptOf(receipts, intent.id, { shopperId, status: intent.status }),
      session: session && { sessionToken: session.token, expiresAt: session.expiresAt },
    };
    return c.json(body, 200);
  });

  // The terms of paying with a card (fee, exchange rate, debit) that a confirmation then binds: quote-routes.ts.
  api.route('/', quoteRoutes({ ...deps, sessionShopper }));
  // Bank offers on this payment and the shopper's two offer switches: offer-routes.ts.
  api.route('/', offerRoutes({ ...deps, sessionShopper }));

  // Pay by bank: the same passkey confirmation bound to the bank instead of a card, then the bank's page.
  api.post('/bank-payments/options', async (c) => {
    await deps.rateLimiter.byIp(c, 'confirmation_options');
    const { data } = await readJsonBody(c, bankPaymentOptionsBody);
    await limitConfirmation(c, 'confirmation_options', data.client_secret);
    const body: ConfirmOptionsResponse = await prepareAccountPaymentConfirmation(deps, {
      clientSecret: data.client_secret,
      bank: data.bank,
      sessionToken: bearerToken(c.req.header('authorization')),
    });
    return c.json(body);
  });

  // The shopper closed the bank's window before approving: end the attempt (nothing paid) and answer its state.
  api.post('/bank-payments/abandon', async (c) => {
    const { data } = await readJsonBody(c, checkoutBody);
    const body: ConfirmResponse = toConfirmResponse(await abandonAccountPayment(deps.db, data.client_secret, deps.now()));
    return c.json(body, 200);
  });

  api.post('/bank-payments', async (c) => {
    await deps.rateLimiter.byIp(c, 'confirmation');
    const { data } = await readJsonBody(c, confirmBody);
    await limitConfirmation(c, 'confirmation', data.client_secret);
    const { intent, authorizationUrl } = await confirmAccountPayment(deps, {
      clientSecret: data.client_secret,
      challengeId: data.challenge_id,
      response: data.response,
      sessionToken: bearerToken(c.req.header('authorization')),
    });
    const body: BankPaymentResponse = { ...toConfirmResponse(intent), authorizationUrl };
    return c.json(body, 200);
  });

  return api;
}

