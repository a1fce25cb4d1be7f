/**
 * The sandbox controls of a demo card bank's offers, under its admin key (like `/admin/faults`; absent without one):
 *
 *   POST   /sandbox/offers/controls  { offerId?, mode, delayMs? } → 200 { controlled }
 *          `expire_at_apply` / `out_of_budget`: the next redemptions of that offer (or of every offer) are refused
 *          `offer_expired` / `offer_budget_exhausted`; `slow`: quotes are answered `delayMs` late; `bump_version`:
 *          the offer's version goes up now (quotes of the old one are refused `offer_changed`); `none`: clears.
 *   GET    /sandbox/offers/log       → { requests, redemptions, consents }: what the bank received, for tests
 *   POST   /sandbox/offers/catalog   { offers: [BankOffer] } replaces the catalogue → 200 { offers }
 *   DELETE /sandbox/offers/catalog   restores the profile's (and clears the controls) → 200 { offers }
 */
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { readJsonBody } from '../http/read-json-body.ts';
import type { Ledger } from '../ledger/open-ledger.ts';
import { termsHashOf, type BankOffer } from '../offers/bank-offer.ts';
import { bankCatalogSchema } from '../offers/bank-offer-schema.ts';
import type { OfferDesk } from '../offers/offer-desk.ts';
import { redemptionJson } from '../offers/redemption-json.ts';

const controlSchema = z
  .strictObject({
    offerId: z.string().min(1).max(100).optional(),
    mode: z.enum(['expire_at_apply', 'out_of_budget', 'slow', 'bump_version', 'none']),
    delayMs: z.number().int().min(0).max(60_000).optional(),
  })
  .refine((control) => control.mode !== 'slow' || control.delayMs !== undefined, 'expected delayMs with mode slow');

export function sandboxOfferRoutes(ledger: Ledger, now: () => Date, desk: OfferDesk, creditDelayMs: number): Hono {
  const catalogJson = () => ({ offers: desk.offers().map((offer: BankOffer) => ({ ...offer, termsHash: termsHashOf(offer) })) });
  return new Hono()
    .post('/sandbox/offers/controls', async (c) => {
      const control = await readJsonBody(c, controlSchema);
      desk.control(control);
      return c.json({ controlled: control, ...catalogJson() });
    })
    .get('/sandbox/offers/log', async (c) => {
      const rows = await ledger
        .selectFrom('offer_redemptions')
        .selectAll('offer_redemptions')
        .select((eb) =>
          eb.selectFrom('offer_revocations').select(sql<number>`count(*)`.as('n')).whereRef('offer_revocations.redemption_id', '=', 'offer_redemptions.id').as('revocations'),
        )
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const at = now();
      const redemptions = rows.map((row) => {
        const json = redemptionJson(row, Number(row.revocations), at, creditDelayMs);
        return {
          redemptionId: json.id,
          reference: json.reference,
          offerId: json.offer_id,
          version: json.version,
          cardToken: json.card_token,
          status: json.status,
          revocations: json.revocations,
          chargeId: json.charge_id,
          charged: json.charged,
          cashback: json.cashback && { amount: json.cashback.amount, expectedBy: json.cashback.expected_by, creditedAt: json.cashback.credited_at },
        };
      });
      return c.json({ requests: desk.requests(), redemptions, consents: desk.consents() });
    })
    .post('/sandbox/offers/catalog', async (c) => {
      const { offers } = await readJsonBody(c, bankCatalogSchema);
      desk.replaceCatalog(offers);
      return c.json(catalogJson());
    })
    .delete('/sandbox/offers/catalog', (c) => {
      desk.restoreCatalog();
      return c.json(catalogJson());
    });
}
