/** A consent row as the standard's OBWriteDomesticConsentResponse5. */
import { PISP_API_ROOT } from '../spec/create-spec-validator.ts';
import type { ConsentsTable } from './ledger-schema.ts';

export function consentJson(row: ConsentsTable, origin: string, debtorName: string | null): Record<string, unknown> {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  return {
    Data: {
      ConsentId: row.consent_id,
      CreationDateTime: row.created_at,
      Status: row.status,
      StatusUpdateDateTime: row.status_updated_at,
      ...(row.status_reason ? { StatusReason: JSON.parse(row.status_reason) } : {}),
      ...data,
      ...(data.ReadRefundAccount === 'Yes' && row.debtor_identification && debtorName
        ? { Debtor: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: row.debtor_identification, Name: debtorName } }
        : {}),
    },
    Risk: JSON.parse(row.risk),
    Links: { Self: `${origin}${PISP_API_ROOT}/domestic-payment-consents/${encodeURIComponent(row.consent_id)}` },
    Meta: {},
  };
}
