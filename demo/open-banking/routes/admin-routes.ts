/**
 * Test controls, under `Authorization: Bearer <OB_BANK_ADMIN_KEY>` (absent key: every /admin route is 404).
 * Errors are `{ error: { code, message } }` like the sandbox card bank's admin API.
 *
 *   GET    /admin/accounts                      → { accounts: [{ identification, name, holder, currency, balance }] }
 *   POST   /admin/scenarios  { kind, count?, settleAfterMs? }  → 201 scenario   (see controls/scenario-store.ts)
 *   GET    /admin/scenarios                     → { scenarios }
 *   DELETE /admin/scenarios                     → 204
 *   PUT    /admin/faults     { faults: [rule] } → { faults }        (see controls/fault-rule.ts)
 *   POST   /admin/faults     rule               → 201 fault
 *   GET    /admin/faults                        → { faults }
 *   DELETE /admin/faults                        → 204
 *   POST   /admin/payments/{DomesticPaymentId}/settle → { DomesticPaymentId, Status } (a pending payment settles now)
 *   GET    /admin/validation-failures           → { checked, failures } (answers that broke the standard: a bug)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { obFaultRuleSchema } from '../controls/fault-rule.ts';
import type { ObFaultStore } from '../controls/fault-store.ts';
import { scenarioInputSchema, type ScenarioStore } from '../controls/scenario-store.ts';
import type { ValidationLog } from '../http/validate-pisp-responses.ts';
import type { MeridianLedger } from '../ledger/open-meridian-ledger.ts';
import { settleDuePayment } from '../ledger/settle-due-payment.ts';

export interface AdminRoutesOptions {
  adminKey: string;
  ledger: MeridianLedger;
  scenarios: ScenarioStore;
  faults: ObFaultStore;
  validationLog: ValidationLog;
  now: () => Date;
}

export function adminRoutes({ adminKey, ledger, scenarios, faults, validationLog, now }: AdminRoutesOptions): Hono {
  const expected = sha256(adminKey);
  const fail = (c: Context, status: 401 | 404 | 422, code: string, message: string) => c.json({ error: { code, message } }, status);

  return new Hono()
    .use('/admin/*', async (c, next) => {
      const match = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '');
      if (!match || !timingSafeEqual(sha256(match[1]), expected)) {
        return fail(c, 401, 'unauthorized', match ? 'expected the admin key, received another key' : 'expected Authorization: Bearer <OB_BANK_ADMIN_KEY>, received none');
      }
      await next();
    })
    .get('/admin/accounts', async (c) => c.json({ accounts: await ledger.selectFrom('accounts').selectAll().orderBy('identification').execute() }))
    .get('/admin/scenarios', (c) => c.json({ scenarios: scenarios.list() }))
    .post('/admin/scenarios', async (c) => {
      const input = parse(await c.req.text(), scenarioInputSchema);
      if ('problem' in input) return fail(c, 422, 'validation_error', input.problem);
      return c.json(scenarios.add(input.value), 201);
    })
    .delete('/admin/scenarios', (c) => {
      scenarios.clear();
      return c.body(null, 204);
    })
    .get('/admin/faults', (c) => c.json({ faults: faults.list() }))
    .put('/admin/faults', async (c) => {
      const input = parse(await c.req.text(), z.strictObject({ faults: z.array(obFaultRuleSchema).max(100) }));
      if ('problem' in input) return fail(c, 422, 'validation_error', input.problem);
      return c.json({ faults: faults.replace(input.value.faults) });
    })
    .post('/admin/faults', async (c) => {
      const input = parse(await c.req.text(), obFaultRuleSchema);
      if ('problem' in input) return fail(c, 422, 'validation_error', input.problem);
      return c.json(faults.append(input.value), 201);
    })
    .delete('/admin/faults', (c) => {
      faults.clear();
      return c.body(null, 204);
    })
    .post('/admin/payments/:paymentId/settle', async (c) => {
      const row = await ledger.selectFrom('payments').selectAll().where('payment_id', '=', c.req.param('paymentId')).executeTakeFirst();
      if (!row) return fail(c, 404, 'not_found', `expected a DomesticPaymentId, received ${JSON.stringify(c.req.param('paymentId'))}`);
      const settled = await settleDuePayment(ledger, row, now(), true);
      return c.json({ DomesticPaymentId: settled.payment_id, Status: settled.status });
    })
    .get('/admin/validation-failures', (c) => c.json({ checked: validationLog.checked, failures: validationLog.failures }));
}

function parse<T>(text: string, schema: z.ZodType<T>): { value: T } | { problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: 'expected a JSON body, received text that does not parse as JSON' };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { value: parsed.data };
  return { problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ') };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
