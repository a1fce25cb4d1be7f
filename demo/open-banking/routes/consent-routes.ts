/**
 * POST /domestic-payment-consents (idempotent by x-idempotency-key for 24 h: a replay answers the consent as it
 * is now; the key with another body is 400 U006) and GET /domestic-payment-consents/{ConsentId}.
 * The request has already passed the document's schema and its signature (check-pisp-request.ts).
 */
import { Hono, type Context } from 'hono';
import { canonicalHash } from '../canonical-hash.ts';
import type { ObEnv } from '../http/ob-env.ts';
import { obError, OB_ERROR_CODES } from '../http/ob-error.ts';
import type { ObResponder } from '../http/ob-responder.ts';
import { consentJson } from '../ledger/consent-json.ts';
import type { ConsentsTable } from '../ledger/ledger-schema.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';
import { newId } from '../new-id.ts';
import { PISP_API_ROOT } from '../spec/create-spec-validator.ts';
import { findIdempotentReplay } from './find-idempotent-replay.ts';
import { checkInitiation, type DomesticInitiation } from './check-initiation.ts';

interface ConsentRequest {
  Data: { Initiation: DomesticInitiation } & Record<string, unknown>;
  Risk: Record<string, unknown>;
}

export function consentRoutes(ledger: MeridianLedger, responder: ObResponder, now: () => Date): Hono<ObEnv> {
  const answer = async (c: Context<ObEnv>, row: ConsentsTable, status: number) => {
    const debtor = row.debtor_identification
      ? await ledger.selectFrom('accounts').select('name').where('identification', '=', row.debtor_identification).executeTakeFirst()
      : undefined;
    return responder.json(c, status, consentJson(row, new URL(c.req.url).origin, debtor?.name ?? null));
  };

  return new Hono<ObEnv>()
    .post(`${PISP_API_ROOT}/domestic-payment-consents`, async (c) => {
      const request = c.get('body') as ConsentRequest;
      const client = c.get('client');
      const idempotencyKey = c.req.header('x-idempotency-key')!;
      const requestHash = canonicalHash(request);
      const at = now();
      const amount = await checkInitiation(ledger, request.Data.Initiation);

      const row = await ledger.transaction().execute(async (trx) => {
        const earlier = await findIdempotentReplay(trx, 'consents', { clientId: client.clientId, idempotencyKey, requestHash, at }, (row) => `consent ${row.consent_id}`);
        if (earlier) return earlier;
        const initiation = request.Data.Initiation;
        const created: ConsentsTable = {
          consent_id: newId('pdc'),
          client_id: client.clientId,
          idempotency_key: idempotencyKey,
          request_hash: requestHash,
          status: 'AWAU',
          status_reason: null,
          data: JSON.stringify(request.Data),
          risk: JSON.stringify(request.Risk),
          amount,
          currency: initiation.InstructedAmount.Currency,
          creditor_identification: initiation.CreditorAccount.Identification,
          creditor_name: initiation.CreditorAccount.Name,
          debtor_identification: initiation.DebtorAccount?.Identification ?? null,
          created_at: at.toISOString(),
          status_updated_at: at.toISOString(),
        };
        await trx.insertInto('consents').values(created).execute();
        return created;
      });
      return answer(c, row, 201);
    })
    .get(`${PISP_API_ROOT}/domestic-payment-consents/:consentId`, async (c) => {
      const consentId = c.req.param('consentId');
      const row = await ledger
        .selectFrom('consents')
        .selectAll()
        .where('consent_id', '=', consentId)
        .where('client_id', '=', c.get('client').clientId)
        .executeTakeFirst();
      if (!row) throw obError(400, OB_ERROR_CODES.ResourceNotFound, `expected the ConsentId of one of your consents, received ${JSON.stringify(consentId)}`, 'ConsentId');
      return answer(c, row, 200);
    });
}
