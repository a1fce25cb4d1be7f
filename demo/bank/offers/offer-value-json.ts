/**
 * The bank's strict schema of an `OfferValue` on its wire; the mapping to and from it is the adapter's
 * (`server/adapters/http/offer-value-wire.ts`), one for both sides.
 */
import { z } from 'zod';
import type { OfferValueWire } from '../../../server/adapters/http/offer-value-wire.ts';

export { offerValueFromWire, offerValueToWire, type OfferValueWire } from '../../../server/adapters/http/offer-value-wire.ts';

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const offerValueWireSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('instant_discount'), discount: minor }),
  z.strictObject({ kind: z.literal('cashback'), cashback: minor, expected_by: z.string().max(40) }),
  z.strictObject({
    kind: z.literal('instalments'),
    count: z.number().int().min(0).max(1_000),
    first_instalment: minor,
    per_instalment: minor,
    total_fees: minor,
    apr_basis_points: z.number().int().min(0).max(1_000_000),
  }),
]) satisfies z.ZodType<OfferValueWire>;

