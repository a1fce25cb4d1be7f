import type { BankAdapter, BankRefundRecord } from '../adapters/bank-adapter.ts';
import type { WalletDb } from '../store/database.ts';
import { attemptsByReference, attemptsCreatedSince, debitOfAttempt } from './payment-attempts.ts';
import { findQuote } from './payment-quotes.ts';
import { findPaymentIntent, intentsCreatedSince, type PaymentIntent } from './payment-intents.ts';
import { bankAmountOfRefund, refundsByReference, refundsCreatedSince } from './refunds.ts';

/** One difference between our records and a bank's ledger. */
export interface LedgerMismatch {
  kind:
    | 'charge_unknown_to_us'
    | 'charge_missing_at_bank'
    | 'charge_status'
    | 'charge_amount'
    | 'double_charge'
    | 'intent_status'
    | 'refund_unknown_to_us'
    | 'refund_missing_at_bank'
    | 'refund_status'
    | 'refund_amount';
  reference: string;
  detail: string;
}

export interface LedgerReport {
  bank: string;
  charges: number;
  refunds: number;
  /** Attempts and refunds still waiting for the bank's word: not compared yet. */
  inFlight: number;
  mismatches: LedgerMismatch[];
}

/**
 * Compares everything a bank booked since `since` with our records, and our
 * records since `since` with the bank's: every charge and refund we do not
 * know, every one we think happened that the bank does not have, every
 * status or amount that differs, every intent charged twice. Read-only.
 */
export async function reconcileLedger(db: WalletDb, bank: BankAdapter, since: Date): Promise<LedgerReport> {
  const mismatches: LedgerMismatch[] = [];
  const report = (kind: LedgerMismatch['kind'], reference: string, detail: string) => mismatches.push({ kind, reference, detail });

  const bankCharges = await collect(bank.listCharges(since));
  const bankRefunds = await collect(bank.listRefunds(since));
  const chargeByReference = new Map(bankCharges.map((charge) => [charge.reference, charge]));
  const refundByReference = new Map(bankRefunds.map((refund) => [refund.reference, refund]));

  // The bank's side: every charge it booked must be one of ours, with our amount and outcome.
  const ourAttempts = new Map((await attemptsByReference(db, [...chargeByReference.keys()])).map((a) => [a.reference, a]));
  const intents = new Map<string, PaymentIntent | undefined>();
  const intentOf = async (id: string) => {
    if (!intents.has(id)) intents.set(id, await findPaymentIntent(db, id));
    return intents.get(id);
  };
  const approvedByIntent = new Map<string, string[]>();
  let inFlight = 0;
  for (const charge of bankCharges) {
    const attempt = ourAttempts.get(charge.reference);
    if (!attempt) {
      report('charge_unknown_to_us', charge.reference, `the bank booked ${charge.status} charge ${charge.bankChargeId} we have no attempt for`);
      continue;
    }
    // The bank charges the debit the shopper signed (amount + fee, converted when the card's currency differs);
    // that debit must still be for the intent's amount.
    const intent = await intentOf(attempt.intent_id);
    if (intent) {
      const debit = debitOfAttempt(attempt, intent);
      const quote = attempt.quote_id ? await findQuote(db, attempt.quote_id) : undefined;
      const signedFor = quote ? { amount: quote.amount, currency: quote.currency } : { amount: intent.amount, currency: intent.currency };
      if (debit.amount !== charge.amount || debit.currency !== charge.currency) {
        report('charge_amount', charge.reference, `ours ${debit.amount} ${debit.currency}, the bank's ${charge.amount} ${charge.currency}`);
      } else if (signedFor.amount !== intent.amount || signedFor.currency !== intent.currency) {
        report('charge_amount', charge.reference, `the debit was signed for ${signedFor.amount} ${signedFor.currency}; the payment is ${intent.amount} ${intent.currency}`);
      }
    }
    if (charge.status === 'approved') approvedByIntent.set(attempt.intent_id, [...(approvedByIntent.get(attempt.intent_id) ?? []), charge.reference]);
    if (attempt.status === 'pending') inFlight += 1;
    else if (attempt.status !== charge.status || (attempt.bank_charge_id !== null && attempt.bank_charge_id !== charge.bankChargeId)) {
      report('charge_status', charge.reference, `ours ${attempt.status} (${attempt.bank_charge_id ?? 'no charge id'}), the bank's ${charge.status} (${charge.bankChargeId})`);
    }
  }
  for (const [intentId, references] of approvedByIntent) {
    if (references.length > 1) report('double_charge', intentId, `approved charges under ${references.join(', ')}`);
  }

  // Our side: every attempt we think approved must be at the bank; every intent must agree with its attempts.
  for (const attempt of await attemptsCreatedSince(db, since)) {
    if (attempt.status === 'approved' && !chargeByReference.has(attempt.reference)) {
      const found = await bank.lookupCharge(attempt.reference).catch(() => undefined);
      if (!found || found.status !== 'approved') report('charge_missing_at_bank', attempt.reference, 'we recorded it approved; the bank has no approved charge');
    }
  }
  for (const intent of await intentsCreatedSince(db, since)) {
    const approved = approvedByIntent.get(intent.id)?.length ?? 0;
    if (approved > 0 && intent.status !== 'succeeded' && intent.status !== 'processing' && intent.status !== 'requires_review') {
      report('intent_status', intent.id, `the bank charged it; we show ${intent.status}`);
    }
  }
  await checkRefunds(db, bank, since, bankRefunds, refundByReference, report, () => (inFlight += 1));
  return { bank: bank.id, charges: bankCharges.length, refunds: bankRefunds.length, inFlight, mismatches };
}

async function checkRefunds(
  db: WalletDb,
  bank: BankAdapter,
  since: Date,
  bankRefunds: BankRefundRecord[],
  byReference: Map<string, BankRefundRecord>,
  report: (kind: LedgerMismatch['kind'], reference: string, detail: string) => void,
  countInFlight: () => void,
): Promise<void> {
  const ours = new Map((await refundsByReference(db, [...byReference.keys()])).map((r) => [r.reference, r]));
  for (const refund of bankRefunds) {
    const mine = ours.get(refund.reference);
    if (!mine) {
      report('refund_unknown_to_us', refund.reference, `the bank booked refund ${refund.bankRefundId} of ${refund.amount} we have no record of`);
    } else if (bankAmountOfRefund(mine).amount !== refund.amount || bankAmountOfRefund(mine).currency !== refund.currency) {
      const ours = bankAmountOfRefund(mine);
      report('refund_amount', refund.reference, `ours ${ours.amount} ${ours.currency}, the bank's ${refund.amount} ${refund.currency}`);
    } else if (mine.status === 'pending') {
      countInFlight();
    } else if (mine.status !== 'succeeded') {
      report('refund_status', refund.reference, `ours ${mine.status}; the bank refunded it`);
    }
  }
  for (const refund of await refundsCreatedSince(db, since)) {
    if (refund.status === 'succeeded' && !byReference.has(refund.reference)) {
      const found = await bank.lookupRefund(refund.reference).catch(() => undefined);
      if (!found) report('refund_missing_at_bank', refund.reference, 'we recorded it succeeded; the bank has no such refund');
    }
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

