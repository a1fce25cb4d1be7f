/**
 * Capability `offers` (bank-offers.ts) over the card bank API the demo banks speak (`/v1/offers/*`, README "Bank
 * offers"): the five members, mapped onto its paths and snake_case bodies, with the transport's rules — no answer, a
 * 5xx or a garbled answer is an unknown outcome (`BankTransportError`); only the bank's four documented refusals of a
 * redemption (422 `offer_expired`, `offer_budget_exhausted`, `offer_changed`, `offer_not_applicable`) are values.
 * Card tokens are secrets of every call: never in a message.
 */
import { z } from 'zod';
import { BankTransportError } from '../bank-adapter.ts';
import type {
  BankOffers,
  OfferMerchant,
  OfferQuote,
  OfferRedemption,
  OfferRefusalReason,
  OfferValue,
} from '../bank-offers.ts';
import type { BankAnswer, BankHttpTransport } from './bank-http-transport.ts';
import { offerValueFromWire, offerValueToWire } from './offer-value-wire.ts';

export const OFFER_REFUSALS: readonly OfferRefusalReason[] = ['offer_expired', 'offer_budget_exhausted', 'offer_changed', 'offer_not_applicable'];

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 time');
const valueAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('instant_discount'), discount: minor }),
  z.object({ kind: z.literal('cashback'), cashback: minor, expected_by: isoTime }),
  z.object({
    kind: z.literal('instalments'),
    count: z.number().int().min(0),
    first_instalment: minor,
    per_instalment: minor,
    total_fees: minor,
    apr_basis_points: z.number().int().min(0),
  }),
]);
const quoteAnswer = z.object({
  id: z.string().min(1),
  offer_id: z.string().min(1),
  version: z.number().int().min(1),
  card_token: z.string().min(1),
  kind: z.enum(['instant_discount', 'cashback', 'instalments']),
  funded_by: z.enum(['bank', 'merchant', 'shared']),
  personalized: z.boolean(),
  title: z.string(),
  terms: z.string(),
  terms_hash: z.string().regex(/^[0-9a-f]{64}$/),
  value: valueAnswer,
  refund_policy: z.enum(['revoke_on_any_refund', 'revoke_on_full_refund']),
  expires_at: isoTime,
  /** When the offer itself ends; null: the bank announces no end. */
  ends_at: isoTime.nullable(),
});
const quotesAnswer = z.object({ data: z.array(quoteAnswer) });
const redemptionAnswer = z.object({
  redemption: z.object({
    id: z.string().min(1),
    reference: z.string(),
    status: z.enum(['reserved', 'applied', 'revoked']),
    cashback: z.object({ amount: minor, expected_by: isoTime, credited_at: isoTime.nullable() }).nullable(),
  }),
});
const consentAnswer = z.object({ personalization: z.enum(['none', 'bank_profile']) });

type ValueAnswer = z.infer<typeof valueAnswer>;
type ReadBankError = (body: unknown) => { code: string; message?: string } | null;

function valueFrom(value: ValueAnswer): OfferValue {
  const mapped = offerValueFromWire(value);
  return mapped.kind === 'cashback' ? { ...mapped, expectedBy: new Date(mapped.expectedBy).toISOString() } : mapped;
}

const valueTo = offerValueToWire;

const merchantTo = ({ id, name, mcc, origin, country }: OfferMerchant) => ({ id, name, mcc, origin, country });

export function cardBankOffers(bank: BankHttpTransport, readError: ReadBankError): BankOffers {
  const { bankName } = bank;
  const unknown = (answer: BankAnswer, what: string, secrets: readonly string[]): never => {
    const error = readError(answer.body);
    const said = error ? `${error.code}${error.message ? `: ${error.message}` : ''}` : 'no error the API documents';
    throw new BankTransportError(`${bankName}: expected an answer to ${what}, received HTTP ${answer.status} (${bank.redact(said, secrets)}); the outcome is unknown`);
  };

  return {
    async offersFor(request) {
      if (request.cardTokens.length === 0) return [];
      const what = 'POST /v1/offers/quotes';
      const secrets = [...request.cardTokens];
      const body = {
        merchant: merchantTo(request.merchant),
        amount: request.amount,
        currency: request.currency,
        card_tokens: [...request.cardTokens],
        personalization: request.personalization,
        locale: request.locale,
      };
      const answer = await bank.send('POST', 'v1/offers/quotes', { body, secrets });
      if (answer.status !== 200) return bank.unexpected(answer, what, readError(answer.body)?.code);
      const { data } = bank.parse(quotesAnswer, answer, what, secrets);
      const asked = new Set(request.cardTokens);
      return data.map((quote): OfferQuote => {
        // A quote for a card this call did not name is not an answer to it (and each bank must only see its own).
        if (!asked.has(quote.card_token)) {
          throw new BankTransportError(`${bankName}: expected quotes for the ${asked.size} card token(s) asked, received one for another card`);
        }
        return {
          quoteId: quote.id,
          offerId: quote.offer_id,
          version: quote.version,
          cardToken: quote.card_token,
          fundedBy: quote.funded_by,
          personalized: quote.personalized,
          title: quote.title,
          terms: quote.terms,
          termsHash: quote.terms_hash,
          value: valueFrom(quote.value),
          refundPolicy: quote.refund_policy,
          expiresAt: new Date(quote.expires_at).toISOString(),
          endsAt: quote.ends_at === null ? null : new Date(quote.ends_at).toISOString(),
        };
      });
    },

    async redeemOffer(request) {
      const what = 'POST /v1/offers/redemptions';
      const secrets = [request.cardToken];
      const body = {
        quote_id: request.quoteId,
        offer_id: request.offerId,
        version: request.version,
        terms_hash: request.termsHash,
        card_token: request.cardToken,
        amount: request.amount,
        currency: request.currency,
        value: valueTo(request.value),
        merchant: merchantTo(request.merchant),
        reference: request.reference,
      };
      const answer = await bank.send('POST', 'v1/offers/redemptions', { body, idempotencyKey: request.idempotencyKey, secrets });
      if (answer.status === 200 || answer.status === 201) {
        const { redemption } = bank.parse(redemptionAnswer, answer, what, secrets);
        if (redemption.reference !== request.reference) {
          throw new BankTransportError(`${bankName}: expected a redemption for reference ${JSON.stringify(request.reference)}, received one for another; the outcome is unknown`);
        }
        return { status: 'redeemed', redemptionId: redemption.id, reference: redemption.reference };
      }
      const error = readError(answer.body);
      // Only the bank's own documented refusals are definite: anything else (a proxy's 409, a 404) may hide a reservation.
      if (answer.status === 422 && error && (OFFER_REFUSALS as readonly string[]).includes(error.code)) {
        return { status: 'refused', reason: error.code as OfferRefusalReason, message: bank.redact(error.message ?? error.code, secrets) };
      }
      return unknown(answer, what, secrets);
    },

    async revokeOffer(request) {
      const what = 'POST /v1/offers/redemptions/:id/revoke';
      const answer = await bank.send('POST', `v1/offers/redemptions/${encodeURIComponent(request.redemptionId)}/revoke`, {
        body: { reason: request.reason },
        idempotencyKey: request.idempotencyKey,
      });
      if (answer.status === 200 || answer.status === 201) {
        bank.parse(redemptionAnswer, answer, what);
        return;
      }
      // A redemption the bank does not hold has nothing left to revoke.
      if (answer.status === 404 && readError(answer.body)?.code === 'redemption_not_found') return;
      return unknown(answer, what, []);
    },

    async offerRedemption(redemptionId): Promise<OfferRedemption | null> {
      const what = 'GET /v1/offers/redemptions/:id';
      const answer = await bank.send('GET', `v1/offers/redemptions/${encodeURIComponent(redemptionId)}`);
      if (answer.status === 404 && readError(answer.body)?.code === 'redemption_not_found') return null;
      if (answer.status !== 200) return unknown(answer, what, []);
      const { redemption } = bank.parse(redemptionAnswer, answer, what);
      return {
        redemptionId: redemption.id,
        reference: redemption.reference,
        status: redemption.status,
        cashback: redemption.cashback && {
          amount: redemption.cashback.amount,
          expectedBy: new Date(redemption.cashback.expected_by).toISOString(),
          creditedAt: redemption.cashback.credited_at === null ? null : new Date(redemption.cashback.credited_at).toISOString(),
        },
      };
    },

    async recordOfferConsent(record) {
      if (record.cardTokens.length === 0) return;
      const what = 'POST /v1/offers/consents';
      const secrets = [...record.cardTokens];
      const body = { card_tokens: [...record.cardTokens], personalization: record.personalization, at: record.at };
      const answer = await bank.send('POST', 'v1/offers/consents', { body, secrets });
      if (answer.status !== 201 && answer.status !== 200) return unknown(answer, what, secrets);
      bank.parse(consentAnswer, answer, what, secrets);
    },
  };
}
