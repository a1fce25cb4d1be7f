/** An `OfferValue` on the card bank API's wire (snake_case, like the rest of it), and back. */
import { z } from 'zod';
import type { OfferValue } from '../../../server/adapters/bank-offers.ts';

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
]);
export type OfferValueWire = z.infer<typeof offerValueWireSchema>;

export function offerValueToWire(value: OfferValue): OfferValueWire {
  switch (value.kind) {
    case 'instant_discount':
      return { kind: value.kind, discount: value.discount };
    case 'cashback':
      return { kind: value.kind, cashback: value.cashback, expected_by: value.expectedBy };
    case 'instalments':
      return {
        kind: value.kind,
        count: value.count,
        first_instalment: value.firstInstalment,
        per_instalment: value.perInstalment,
        total_fees: value.totalFees,
        apr_basis_points: value.aprBasisPoints,
      };
  }
}

export function offerValueFromWire(wire: OfferValueWire): OfferValue {
  switch (wire.kind) {
    case 'instant_discount':
      return { kind: wire.kind, discount: wire.discount };
    case 'cashback':
      return { kind: wire.kind, cashback: wire.cashback, expectedBy: wire.expected_by };
    case 'instalments':
      return {
        kind: wire.kind,
        count: wire.count,
        firstInstalment: wire.first_instalment,
        perInstalment: wire.per_instalment,
        totalFees: wire.total_fees,
        aprBasisPoints: wire.apr_basis_points,
      };
  }
}
