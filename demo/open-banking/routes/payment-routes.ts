/**
 * POST /domestic-payments: pays an authorised consent once. The token must come from the shopper's approval of
 * that very consent; Initiation and Risk must be the consent's (else 400 U008). Idempotent by x-idempotency-key
 * for 24 h (a replay answers the payment as it is now; the key with another body is 400 U006); a consent that
 * was already paid is 409 U029 naming the payment, so a lost answer is resolved by look-up, never by paying again.
 * GET /domestic-payments/{DomesticPaymentId}: the payment now (a pending one settles when its time has come).
 *
 * Outcomes: the debtor's balance is enough → money moves at once, ACSC; a `pending_then_settled` scenario →
 * money moves, ACSP, later ACSC; not enough (or an `insufficient_funds` scenario) → RJCT with reason AM04,
 * nothing moves.
 */
import { Hono, type Context } from 'hono';
import { canonicalHash } from '../canonical-hash.ts';
import type { ScenarioStore } from '../controls/scenario-store.ts';
import type { ObEnv } from '../http/ob-env.ts';
import { ObError, obError, OB_ERROR_CODES } from '../http/ob-error.ts';
import type { ObResponder } from '../http/ob-responder.ts';
import type { PaymentsTable } from '../ledger/ledger-schema.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';
import { paymentJson } from '../ledger/payment-json.ts';
import { settleDuePayment } from '../ledger/settle-due-payment.ts';
import { newId } from '../new-id.ts';
import { PISP_API_ROOT } from '../spec/create-spec-validator.ts';
import { findIdempotentReplay } from './find-idempotent-replay.ts';

interface PaymentRequest {
  Data: { ConsentId: string; Initiation: Record<string, unknown> };
  Risk: Record<string, unknown>;
}

export function paymentRoutes(ledger: MeridianLedger, responder: ObResponder, scenarios: ScenarioStore, now: () => Date): Hono<ObEnv> {
  const answer = async (c: Context<ObEnv>, row: PaymentsTable, status: number) => {
    const consent = await ledger.selectFrom('consents').select('data').where('consent_id', '=', row.consent_id).executeTakeFirstOrThrow();
    const debtor = await ledger.selectFrom('accounts').select('name').where('identification', '=', row.debtor_identification).executeTakeFirst();
    const readRefundAccount = (JSON.parse(consent.data) as { ReadRefundAccount?: string }).ReadRefundAccount === 'Yes';
    return responder.json(c, status, paymentJson(row, new URL(c.req.url).origin, debtor ? { name: debtor.name, readRefundAccount } : null));
  };

  return new Hono<ObEnv>()
    .post(`${PISP_API_ROOT}/domestic-payments`, async (c) => {
      const request = c.get('body') as PaymentRequest;
      const client = c.get('client');
      const idempotencyKey = c.req.header('x-idempotency-key')!;
      const requestHash = canonicalHash(request);
      const consentId = request.Data.ConsentId;
      const at = now();

      const row = await ledger.transaction().execute(async (trx) => {
        const earlier = await findIdempotentReplay(trx, 'payments', { clientId: client.clientId, idempotencyKey, requestHash, at }, (row) => `payment ${row.payment_id}`);
        if (earlier) return earlier;

        const consent = await trx
          .selectFrom('consents')
          .selectAll()
          .where('consent_id', '=', consentId)
          .where('client_id', '=', client.clientId)
          .executeTakeFirst();
        if (!consent) throw obError(400, OB_ERROR_CODES.ResourceNotFound, `expected the ConsentId of one of your consents, received ${JSON.stringify(consentId)}`, 'Data.ConsentId');
        if (c.get('tokenConsentId') !== consentId) {
          throw new ObError(403, {
            ErrorCode: OB_ERROR_CODES.OtherReason,
            Message: c.get('tokenConsentId')
              ? `expected an access token granted for consent ${consentId}, received one granted for consent ${c.get('tokenConsentId')}`
              : `expected an access token from the shopper's approval of consent ${consentId} (authorization_code grant), received a client_credentials token`,
          });
        }
        if (consent.status === 'COND') {
          const paid = await trx.selectFrom('payments').select('payment_id').where('consent_id', '=', consentId).executeTakeFirstOrThrow();
          throw new ObError(409, {
            ErrorCode: OB_ERROR_CODES.ResourceAlreadyExists,
            Message: `consent ${consentId} was already paid by DomesticPaymentId ${paid.payment_id}; look it up with GET ${PISP_API_ROOT}/domestic-payments/${paid.payment_id}`,
            Path: 'Data.ConsentId',
          });
        }
        if (consent.status !== 'AUTH') {
          throw obError(400, OB_ERROR_CODES.ResourceInvalidConsentStatus, `expected consent ${consentId} to be AUTH (authorised by the shopper), received ${consent.status}`, 'Data.ConsentId');
        }
        const consentData = JSON.parse(consent.data) as { Initiation: unknown };
        if (canonicalHash(request.Data.Initiation) !== canonicalHash(consentData.Initiation)) {
          const field = firstDifference(request.Data.Initiation, consentData.Initiation, 'Data.Initiation');
          throw obError(400, OB_ERROR_CODES.ResourceConsentMismatch, `expected the consent's Initiation, received a different ${field}`, field);
        }
        if (canonicalHash(request.Risk) !== canonicalHash(JSON.parse(consent.risk))) {
          const field = firstDifference(request.Risk, JSON.parse(consent.risk), 'Risk');
          throw obError(400, OB_ERROR_CODES.ResourceConsentMismatch, `expected the consent's Risk, received a different ${field}`, field);
        }
        const debtorId = consent.debtor_identification!;
        const debtor = await trx.selectFrom('accounts').selectAll().where('identification', '=', debtorId).executeTakeFirstOrThrow();

        const scenario = scenarios.take(['insufficient_funds', 'pending_then_settled']);
        const insufficient = scenario?.kind === 'insufficient_funds' || debtor.balance < consent.amount;
        const pending = !insufficient && scenario?.kind === 'pending_then_settled';
        if (!insufficient) {
          await trx.updateTable('accounts').set((eb) => ({ balance: eb('balance', '-', consent.amount) })).where('identification', '=', debtorId).execute();
          // A creditor at Meridian is credited; any other is paid out of the bank (the scheme's side is not modelled).
          await trx
            .updateTable('accounts')
            .set((eb) => ({ balance: eb('balance', '+', consent.amount) }))
            .where('identification', '=', consent.creditor_identification)
            .execute();
        }
        const created: PaymentsTable = {
          payment_id: newId('pmt'),
          consent_id: consentId,
          client_id: client.clientId,
          idempotency_key: idempotencyKey,
          request_hash: requestHash,
          status: insufficient ? 'RJCT' : pending ? 'ACSP' : 'ACSC',
          status_reason: insufficient
            ? JSON.stringify([{ StatusReasonCode: 'AM04', StatusReasonDescription: `Insufficient funds in the debtor account ${debtorId}` }])
            : null,
          initiation: JSON.stringify(request.Data.Initiation),
          amount: consent.amount,
          currency: consent.currency,
          debtor_identification: debtorId,
          creditor_identification: consent.creditor_identification,
          settle_at: pending && scenario?.settleAfterMs != null ? new Date(at.getTime() + scenario.settleAfterMs).toISOString() : null,
          created_at: at.toISOString(),
          status_updated_at: at.toISOString(),
        };
        await trx.insertInto('payments').values(created).execute();
        await trx.updateTable('consents').set({ status: 'COND', status_updated_at: at.toISOString() }).where('consent_id', '=', consentId).execute();
        return created;
      });
      return answer(c, row, 201);
    })
    .get(`${PISP_API_ROOT}/domestic-payments/:paymentId`, async (c) => {
      const paymentId = c.req.param('paymentId');
      const row = await ledger
        .selectFrom('payments')
        .selectAll()
        .where('payment_id', '=', paymentId)
        .where('client_id', '=', c.get('client').clientId)
        .executeTakeFirst();
      if (!row) throw obError(400, OB_ERROR_CODES.ResourceNotFound, `expected the DomesticPaymentId of one of your payments, received ${JSON.stringify(paymentId)}`, 'DomesticPaymentId');
      return answer(c, await settleDuePayment(ledger, row, now()), 200);
    });
}

/** The dotted path of the first field where two JSON values differ. */
function firstDifference(received: unknown, expected: unknown, path: string): string {
  if (received === null || expected === null || typeof received !== 'object' || typeof expected !== 'object') return path;
  const keys = new Set([...Object.keys(received), ...Object.keys(expected)]);
  for (const key of [...keys].sort()) {
    const a = (received as Record<string, unknown>)[key];
    const b = (expected as Record<string, unknown>)[key];
    if (canonicalHash(a ?? null) !== canonicalHash(b ?? null)) return firstDifference(a, b, `${path}.${key}`);
  }
  return path;
}
