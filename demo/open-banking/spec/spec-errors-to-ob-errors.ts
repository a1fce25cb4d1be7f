/**
 * Turns the validator's ajv errors on a request into the standard's OBError1 entries: a missing header is
 * U007 (U019 for x-jws-signature), a bad header U006, a missing field U004, an unknown field or a body
 * of the wrong shape U010, any other bad value U002. Path is the field as the standard writes it
 * (`Data.Initiation.InstructedAmount.Amount`) or the header's name.
 */
import type { ErrorObject } from 'ajv';
import { OB_ERROR_CODES, type ObErrorEntry } from '../http/ob-error.ts';

export function specErrorsToObErrors(errors: ErrorObject[], body: unknown): ObErrorEntry[] {
  const entries = errors.map((error) => toEntry(error, body));
  // allErrors reports each failing branch; one entry per (code, path, message) is enough.
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = `${entry.ErrorCode}|${entry.Path}|${entry.Message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toEntry(error: ErrorObject, body: unknown): ObErrorEntry {
  const [where, ...rest] = error.instancePath.split('/').filter(Boolean).map(unescapePointer);
  const params = error.params as Record<string, unknown>;

  if (error.keyword === 'parse') {
    return { ErrorCode: OB_ERROR_CODES.ResourceInvalidFormat, Message: `expected a JSON request body, received one that does not parse: ${error.message}` };
  }
  if (where === 'header') {
    if (error.keyword === 'required') {
      const name = String(params.missingProperty);
      return {
        ErrorCode: name === 'x-jws-signature' ? OB_ERROR_CODES.SignatureMissing : OB_ERROR_CODES.HeaderMissing,
        Message: `expected the header ${name}, received none`,
        Path: name,
      };
    }
    const name = rest[0] ?? 'header';
    return { ErrorCode: OB_ERROR_CODES.HeaderInvalid, Message: `header ${name}: expected a value that ${error.message}`, Path: name };
  }
  if (where === 'path' || where === 'query') {
    const name = rest[0] ?? where;
    return { ErrorCode: OB_ERROR_CODES.FieldInvalid, Message: `${where} parameter ${name}: expected a value that ${error.message}`, Path: name };
  }
  if (where === 'requestBody' || where === undefined) {
    const path = rest;
    if (error.keyword === 'required') {
      const field = [...path, String(params.missingProperty)].join('.');
      return { ErrorCode: OB_ERROR_CODES.FieldMissing, Message: `expected the field ${field}, received none`, Path: field };
    }
    if (error.keyword === 'additionalProperties') {
      const field = [...path, String(params.additionalProperty)].join('.');
      return {
        ErrorCode: OB_ERROR_CODES.ResourceInvalidFormat,
        Message: `expected only the fields the standard defines${path.length ? ` in ${path.join('.')}` : ''}, received ${field}`,
        Path: field,
      };
    }
    const field = path.length > 0 ? path.join('.') : 'body';
    const received = describe(valueAt(body, path));
    const code = error.keyword === 'type' && path.length <= 1 ? OB_ERROR_CODES.ResourceInvalidFormat : OB_ERROR_CODES.FieldInvalid;
    return { ErrorCode: code, Message: `${field}: expected a value that ${error.message}${allowed(params)}, received ${received}`, Path: field };
  }
  return { ErrorCode: OB_ERROR_CODES.FieldInvalid, Message: `${error.instancePath || 'request'}: ${error.message}` };
}

function allowed(params: Record<string, unknown>): string {
  return Array.isArray(params.allowedValues) ? ` (${params.allowedValues.map(String).join(', ')})` : '';
}

function valueAt(body: unknown, path: string[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
