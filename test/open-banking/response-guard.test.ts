/**
 * The guard on Meridian's own answers: an answer that breaks the official document never leaves the bank.
 * In process (a bank that answers wrongly on purpose cannot be asked for over HTTP), with the real validator.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { Hono } from 'hono';
import type { ObEnv } from '../../demo/open-banking/http/ob-env.ts';
import { createObResponder } from '../../demo/open-banking/http/ob-responder.ts';
import { validatePispResponses, type ValidationLog } from '../../demo/open-banking/http/validate-pisp-responses.ts';
import { createSpecValidator, PISP_API_ROOT, type SpecValidator } from '../../demo/open-banking/spec/create-spec-validator.ts';

let spec: SpecValidator;
before(async () => {
  spec = await createSpecValidator();
});

function appAnswering(body: unknown, log: ValidationLog) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const responder = createObResponder({ kid: 'test', privateKey, publicJwk: { kid: 'test', use: 'sig', alg: 'PS256' } });
  const app = new Hono<ObEnv>();
  app.use(`${PISP_API_ROOT}/*`, validatePispResponses(spec, log, responder));
  app.get(`${PISP_API_ROOT}/domestic-payment-consents/:id`, (c) => responder.json(c, 200, body));
  return app;
}

const validConsent = {
  Data: {
    ConsentId: 'pdc_1',
    CreationDateTime: '2026-12-01T10:00:00.000Z',
    Status: 'AWAU',
    StatusUpdateDateTime: '2026-12-01T10:00:00.000Z',
    Initiation: {
      InstructionIdentification: 'ref',
      EndToEndIdentification: 'ref',
      InstructedAmount: { Amount: '1.00', Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000487654321', Name: 'Shop' },
    },
  },
  Risk: {},
  Links: { Self: 'http://127.0.0.1/open-banking/v4.0/pisp/domestic-payment-consents/pdc_1' },
  Meta: {},
};

describe("Meridian's guard on its own answers", () => {
  it('lets an answer that matches the document through, unchanged', async () => {
    const log: ValidationLog = { checked: 0, failures: [] };
    const response = await appAnswering(validConsent, log).request(`${PISP_API_ROOT}/domestic-payment-consents/pdc_1`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), validConsent);
    assert.deepEqual(log, { checked: 1, failures: [] });
  });

  it('turns an answer that breaks the document (a status the standard lacks, no Risk) into a logged 500 U000', async () => {
    const log: ValidationLog = { checked: 0, failures: [] };
    const { Risk: _risk, ...withoutRisk } = validConsent;
    const broken = { ...withoutRisk, Data: { ...validConsent.Data, Status: 'Authorised' } };
    const errors: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const response = await appAnswering(broken, log).request(`${PISP_API_ROOT}/domestic-payment-consents/pdc_1`);
      assert.equal(response.status, 500);
      const body = (await response.json()) as { Errors: Array<{ ErrorCode: string }> };
      assert.equal(body.Errors[0].ErrorCode, 'U000');
    } finally {
      console.error = originalError;
    }
    assert.equal(log.failures.length, 1);
    const problems = log.failures[0].errors.join('\n');
    assert.match(problems, /Status/);
    assert.match(problems, /Risk/);
    assert.equal(errors.length, 1, 'expected the bug to be logged once');
  });
});
