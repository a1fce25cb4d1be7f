/**
 * Reads the official Payment Initiation OpenAPI document (kept byte for byte, see spec/NOTICE.md),
 * checks it is the release we vendored, and fixes its known erratum in memory: `OBFrequency6Code`
 * lists `WEEK` twice, which strict validators refuse.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Document } from 'openapi-backend';

export const PAYMENT_INITIATION_SPEC_PATH = fileURLToPath(new URL('./payment-initiation-openapi.json', import.meta.url));
export const PAYMENT_INITIATION_SPEC_SHA256 = '4803f0df2a861fe746d018ea96eb4b73570ba95479361f67d4489593cfc58531';

export interface LoadSpecOptions {
  /** Default: the vendored file next to this module. */
  path?: string;
  /** Default true: remove the repeated enum values of the known erratum. */
  fixErrata?: boolean;
}

export function loadPaymentInitiationSpec({ path = PAYMENT_INITIATION_SPEC_PATH, fixErrata = true }: LoadSpecOptions = {}): Document {
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== PAYMENT_INITIATION_SPEC_SHA256) {
    throw new Error(
      `Payment Initiation OpenAPI document at ${path}: expected sha256 ${PAYMENT_INITIATION_SPEC_SHA256} (the vendored v4.0 release), received ${sha256}; the file must be kept byte for byte`,
    );
  }
  const document = JSON.parse(bytes.toString('utf8')) as Document;
  if (fixErrata) dedupeFrequencyEnum(document);
  return document;
}

function dedupeFrequencyEnum(document: Document): void {
  const schema = document.components?.schemas?.OBFrequency6Code as { enum?: unknown[] } | undefined;
  if (!schema || !Array.isArray(schema.enum)) {
    throw new Error('Payment Initiation OpenAPI document: expected components.schemas.OBFrequency6Code with an enum (the known erratum), received none');
  }
  schema.enum = [...new Set(schema.enum)];
}
