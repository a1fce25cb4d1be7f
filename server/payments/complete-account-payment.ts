import { BankConfigurationError, BankTransportError } from '../adapters/bank-adapter.ts';
import type { AuthorizationCallback } from '../adapters/open-banking/account-payment-adapter.ts';
import { AuthorizationCallbackError } from '../adapters/open-banking/authorization-callback-error.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { Logger } from '../http/logger.ts';
import { sha256Hex } from '../security/secrets.ts';
import type { WalletDb } from '../store/database.ts';
import type { AccountPaymentBank } from './account-payment-bank.ts';
import { findAccountPayment, findAccountPaymentByStateHash, recordAccountPaymentOutcome, recordAuthorization } from './account-payments.ts';
import { bankJobFor } from './bank-outbox.ts';
import type { BankOutboxWorker } from './bank-outbox-worker.ts';
import { findPaymentIntent, type PaymentIntent } from './payment-intents.ts';

export interface CompleteAccountPaymentDeps {
  db: WalletDb;
  now: () => Date;
  logger: Logger;
  outbox: Pick<BankOutboxWorker, 'runNow'>;
  accountPayments: AccountPaymentBank;
}

/**
 * The shopper's return from their bank (the redirect URI's query), top to bottom:
 * 1. The `state` names the attempt (we keep only its hash); an unknown one is refused (400), nothing changes.
 * 2. A return for an attempt already decided or approved (a replayed callback) changes nothing: its status.
 * 3. The adapter checks state and issuer and exchanges the code for the shopper's grant; a refusal at the bank is
 *    a decline (`consent_rejected`), recorded only if no approval got there first.
 * 4. The grant is sealed and stored — only while the attempt is pending, unapproved and within its deadline —
 *    and the outbox submits the payment at once under its own key and settles it (settle-account-payment.ts).
 * Answers with the intent as it stands: `succeeded`, `failed`, or `processing` while the bank has not said.
 */
export async function completeAccountPayment(deps: CompleteAccountPaymentDeps, callback: AuthorizationCallback): Promise<PaymentIntent> {
  const state = callback.state ?? '';
  const payment = state.length >= 16 && state.length <= 200 ? await findAccountPaymentByStateHash(deps.db, sha256Hex(state)) : undefined;
  if (!payment || payment.bank !== deps.accountPayments.adapter.id || !payment.consent_id) {
    throw new PaykeyError('invalid_request', "This return from the bank names no payment of ours (unknown state); nothing was changed", );
  }
  const intentNow = async () => (await findPaymentIntent(deps.db, payment.intent_id))!;
  if (payment.status !== 'pending' || payment.sealed_grant !== null || payment.sent_at !== null) return intentNow();

  let result;
  try {
    result = await deps.accountPayments.adapter.completeAuthorization({ consentId: payment.consent_id, expectedState: state, callback });
  } catch (error) {
    if (error instanceof AuthorizationCallbackError) throw new PaykeyError('invalid_request', `This return from the bank cannot be trusted (${error.message}); nothing was changed`);
    if (error instanceof BankTransportError || error instanceof BankConfigurationError) {
      // The code exchange's outcome is unknown: nothing was paid; the attempt waits, and its deadline settles it.
      deps.logger.warn('bank_authorization_unknown', { reference: payment.reference, reason: error.message });
      return intentNow();
    }
    throw error;
  }

  if (result.status === 'declined') {
    await recordAccountPaymentOutcome(deps.db, payment, { status: 'declined', bankPaymentId: null, code: result.code, message: result.message }, deps.now(), { onlyIfUnauthorized: true });
    return intentNow();
  }

  const sealed = deps.accountPayments.grantSeal.seal(payment.id, result.authorization);
  if (await recordAuthorization(deps.db, payment, sealed, deps.now())) {
    const job = await bankJobFor(deps.db, 'account_payment', payment.id);
    try {
      if (job) await deps.outbox.runNow(job.id);
    } catch (error) {
      deps.logger.error('payment_outcome_pending', { reference: payment.reference, error: error instanceof Error ? error.message : String(error) });
    }
  } else if ((await findAccountPayment(deps.db, payment.id))?.status === 'pending') {
    deps.logger.warn('bank_authorization_late', { reference: payment.reference });
  }
  return intentNow();
}
