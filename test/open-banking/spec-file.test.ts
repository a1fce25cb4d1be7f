/**
 * The official Payment Initiation document is vendored byte for byte (demo/open-banking/spec/NOTICE.md),
 * and its known erratum is fixed only in memory.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { OpenAPIBackend } from 'openapi-backend';
import {
  loadPaymentInitiationSpec,
  PAYMENT_INITIATION_SPEC_PATH,
  PAYMENT_INITIATION_SPEC_SHA256,
} from '../../demo/open-banking/spec/load-payment-initiation-spec.ts';

const frequencyEnum = (document: unknown) =>
  (document as { components: { schemas: { OBFrequency6Code: { enum: string[] } } } }).components.schemas.OBFrequency6Code.enum;

describe('the vendored Payment Initiation OpenAPI document', () => {
  it('is the v4.0 release, byte for byte (sha256 4803f0df…)', () => {
    assert.equal(PAYMENT_INITIATION_SPEC_SHA256, '4803f0df2a861fe746d018ea96eb4b73570ba95479361f67d4489593cfc58531');
    const sha256 = createHash('sha256').update(readFileSync(PAYMENT_INITIATION_SPEC_PATH)).digest('hex');
    assert.equal(sha256, PAYMENT_INITIATION_SPEC_SHA256);
  });

  it('still has its erratum on disk (WEEK twice in OBFrequency6Code), which a strict validator refuses', async () => {
    const raw = loadPaymentInitiationSpec({ fixErrata: false });
    assert.equal(frequencyEnum(raw).filter((value) => value === 'WEEK').length, 2);
    const api = new OpenAPIBackend({ definition: raw, quick: true });
    await api.loadDocument();
    assert.throws(() => api.validateDefinition(), /OBFrequency6Code\/enum[\s\S]*uniqueItems/);
  });

  it('is fixed in memory on load: every enum value once, and the document is valid OpenAPI 3.0', async () => {
    const fixed = loadPaymentInitiationSpec();
    const values = frequencyEnum(fixed);
    assert.equal(new Set(values).size, values.length);
    assert.ok(values.includes('WEEK'));
    const api = new OpenAPIBackend({ definition: fixed, quick: true });
    await api.loadDocument();
    assert.doesNotThrow(() => api.validateDefinition());
  });

  it('refuses a file that is not the vendored release, saying which sha256 it expected', () => {
    assert.throws(
      () => loadPaymentInitiationSpec({ path: new URL('../../package.json', import.meta.url).pathname }),
      /expected sha256 4803f0df2a861fe746d018ea96eb4b73570ba95479361f67d4489593cfc58531 .*received [0-9a-f]{64}/,
    );
  });
});
