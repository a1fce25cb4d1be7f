/**
 * The definite decline of a submission whose consent (or the shopper's grant) can no longer be used: nothing was
 * paid; the shopper must approve a new one. `message` says why, for the merchant and the logs.
 */
import type { AccountPaymentResult, PaymentSubmission } from './account-payment-adapter.ts';

export function consentExpired(submission: PaymentSubmission, message: string): AccountPaymentResult {
  return {
    status: 'declined',
    bankPaymentId: null,
    consentId: submission.consentId,
    reference: submission.reference,
    code: 'consent_expired',
    message,
  };
}
