/**
 * An `OfferValue` (bank-offers.ts) on the card bank API's wire — snake_case like the rest of it — and back: the one
 * mapping, used by the adapter (client) and the demo banks (server) alike. Each side validates the wire with its own
 * schema (the bank strictly, the adapter as the transport's rules say).
 */
import type { OfferValue } from '../bank-offers.ts';

export type OfferValueWire =
  | { kind: 'instant_discount'; discount: number }
  | { kind: 'cashback'; cashback: number; expected_by: string }
  | { kind: 'instalments'; count: number; first_instalment: number; per_instalment: number; total_fees: number; apr_basis_points: number };

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
