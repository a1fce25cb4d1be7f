/**
 * The bank's consent and payment answers (OBWriteDomesticConsentResponse5, OBWriteDomesticResponse5) read into
 * the adapter's values, after checking they are about what we asked: our reference in InstructionIdentification
 * and EndToEndIdentification, the consent we named, the amount we ordered. Anything else is `null` plus what is
 * wrong, which the caller turns into a `BankTransportError` (the outcome stays unknown).
 */
import { z } from 'zod';
import type { AccountPaymentDeclineCode, AccountPaymentResult, ConsentState } from './account-payment-adapter.ts';
import { parseMinorUnits } from './gbp-amount.ts';

const initiation = z.object({
  InstructionIdentification: z.string(),
  EndToEndIdentification: z.string(),
  InstructedAmount: z.object({ Amount: z.string(), Currency: z.string() }),
});
const statusReason = z.array(z.object({ StatusReasonCode: z.string().optional(), StatusReasonDescription: z.string().optional() })).optional();

const consentAnswer = z.object({
  Data: z.object({ ConsentId: z.string().min(1), Status: z.string(), StatusReason: statusReason, Initiation: initiation }),
});
const paymentAnswer = z.object({
  Data: z.object({ DomesticPaymentId: z.string().min(1), ConsentId: z.string().min(1), Status: z.string(), StatusReason: statusReason, Initiation: initiation }),
});

export interface Expected {
  consentId?: string;
  reference?: string;
  amount?: number;
  currency?: string;
}

export type Read<T> = { value: T } | { problem: string };

export interface ConsentAnswer {
  consentId: string;
  state: ConsentState;
  reference: string;
  reason: string | null;
}

const CONSENT_STATES: Record<string, ConsentState> = { AWAU: 'awaiting_authorization', AUTH: 'authorized', RJCT: 'rejected', COND: 'consumed' };
/** ExternalPaymentTransactionStatus1Code: settled with the creditor or its bank. */
const APPROVED = new Set(['ACSC', 'ACCC']);
/** Definitely not paid. */
const REJECTED = new Set(['RJCT']);
/** Accepted, on its way (RCVD, PDNG, ACTC, PATC, ACCP, ACFC, ACSP, ACWC, ACWP, BLCK): look it up later. */
const PENDING = new Set(['RCVD', 'PDNG', 'ACTC', 'PATC', 'ACCP', 'ACFC', 'ACSP', 'ACWC', 'ACWP', 'BLCK']);

function checkInitiation(data: z.infer<typeof initiation>, expected: Expected): string | null {
  if (expected.reference !== undefined && (data.InstructionIdentification !== expected.reference || data.EndToEndIdentification !== expected.reference)) {
    return `expected our reference ${expected.reference} in InstructionIdentification and EndToEndIdentification, received ${JSON.stringify(data.InstructionIdentification)} / ${JSON.stringify(data.EndToEndIdentification)}`;
  }
  if (expected.amount !== undefined && parseMinorUnits(data.InstructedAmount.Amount) !== expected.amount) {
    return `expected InstructedAmount ${expected.amount} minor units, received ${JSON.stringify(data.InstructedAmount.Amount)}`;
  }
  if (expected.currency !== undefined && data.InstructedAmount.Currency !== expected.currency) {
    return `expected currency ${expected.currency}, received ${JSON.stringify(data.InstructedAmount.Currency)}`;
  }
  return null;
}

function issues(error: z.ZodError): string {
  return `expected the standard's answer, received one where ${error.issues.map((i) => i.path.join('.') || 'the body').join(', ')} is not as expected`;
}

export function readConsentAnswer(body: unknown, expected: Expected): Read<ConsentAnswer> {
  const parsed = consentAnswer.safeParse(body);
  if (!parsed.success) return { problem: issues(parsed.error) };
  const data = parsed.data.Data;
  if (expected.consentId !== undefined && data.ConsentId !== expected.consentId) {
    return { problem: `expected consent ${expected.consentId}, received ${JSON.stringify(data.ConsentId)}` };
  }
  const state = CONSENT_STATES[data.Status];
  if (!state) return { problem: `expected a consent Status AWAU, AUTH, RJCT or COND, received ${JSON.stringify(data.Status)}` };
  const mismatch = checkInitiation(data.Initiation, expected);
  if (mismatch) return { problem: mismatch };
  return { value: { consentId: data.ConsentId, state, reference: data.Initiation.InstructionIdentification, reason: reasonOf(data.StatusReason) } };
}

export function readPaymentAnswer(body: unknown, expected: Expected): Read<AccountPaymentResult> {
  const parsed = paymentAnswer.safeParse(body);
  if (!parsed.success) return { problem: issues(parsed.error) };
  const data = parsed.data.Data;
  if (expected.consentId !== undefined && data.ConsentId !== expected.consentId) {
    return { problem: `expected a payment on consent ${expected.consentId}, received one on ${JSON.stringify(data.ConsentId)}` };
  }
  const mismatch = checkInitiation(data.Initiation, expected);
  if (mismatch) return { problem: mismatch };
  const base = { bankPaymentId: data.DomesticPaymentId, consentId: data.ConsentId, reference: data.Initiation.InstructionIdentification };
  if (APPROVED.has(data.Status)) return { value: { status: 'approved', ...base } };
  if (PENDING.has(data.Status)) return { value: { status: 'pending', ...base } };
  if (REJECTED.has(data.Status)) {
    const codes = (data.StatusReason ?? []).map((r) => r.StatusReasonCode);
    const code: AccountPaymentDeclineCode = codes.includes('AM04') ? 'insufficient_funds' : 'payment_rejected';
    return { value: { status: 'declined', ...base, code, message: code === 'insufficient_funds' ? 'The account has insufficient funds (AM04).' : `The bank rejected the payment (${reasonOf(data.StatusReason) ?? 'no reason given'}).` } };
  }
  return { problem: `expected a payment Status of ExternalPaymentTransactionStatus1Code, received ${JSON.stringify(data.Status)}` };
}

/** The status reason codes only: descriptions may name accounts. */
function reasonOf(reasons: z.infer<typeof statusReason>): string | null {
  const codes = (reasons ?? []).map((r) => r.StatusReasonCode).filter((c): c is string => typeof c === 'string' && /^[A-Z0-9]{1,8}$/.test(c));
  return codes.length > 0 ? codes.join(', ') : null;
}
