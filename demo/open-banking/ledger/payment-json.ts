/** A payment row as the standard's OBWriteDomesticResponse5. */
import { PISP_API_ROOT } from '../spec/create-spec-validator.ts';
import type { PaymentsTable } from './ledger-schema.ts';

export function paymentJson(row: PaymentsTable, origin: string, debtor: { name: string; readRefundAccount: boolean } | null): Record<string, unknown> {
  return {
    Data: {
      DomesticPaymentId: row.payment_id,
      ConsentId: row.consent_id,
      CreationDateTime: row.created_at,
      Status: row.status,
      StatusUpdateDateTime: row.status_updated_at,
      ...(row.status_reason ? { StatusReason: JSON.parse(row.status_reason) } : {}),
      Initiation: JSON.parse(row.initiation),
      ...(debtor?.readRefundAccount
        ? { Debtor: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: row.debtor_identification, Name: debtor.name } }
        : {}),
    },
    Links: { Self: `${origin}${PISP_API_ROOT}/domestic-payments/${encodeURIComponent(row.payment_id)}` },
    Meta: {},
  };
}
