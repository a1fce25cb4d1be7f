/**
 * Reads a request's JSON body and validates it against a zod schema:
 * another content type → 415 `unsupported_media_type`; unparseable, or a
 * member name twice in one object → 400 `invalid_json`; wrong shape (unknown
 * fields included, the schemas being strict) → 422 `validation_error` naming
 * each field with what was expected and received (zod messages never echo values).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { describeJsonPath, findDuplicateKey } from '../../../server/http/find-duplicate-key.ts';
import { ApiError } from './api-error.ts';

export async function readJsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  const text = await readJsonText(c);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'expected a JSON request body, received something that does not parse as JSON');
  }
  assertNoDuplicateKeys(text);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${describeIssue(issue)}`)
      .join('; ');
    throw new ApiError(422, 'validation_error', details);
  }
  return parsed.data;
}

/** The body's text, once its Content-Type says JSON (`application/json`, any parameters): else 415. */
export async function readJsonText(c: Context): Promise<string> {
  const type = c.req.header('content-type');
  if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) {
    const received = type === undefined ? 'none' : JSON.stringify(type.length > 60 ? `${type.slice(0, 57)}...` : type);
    throw new ApiError(415, 'unsupported_media_type', `expected Content-Type: application/json, received ${received}`);
  }
  return c.req.text();
}

/**
 * 400 `invalid_json` for a member name twice in one object (I-JSON, RFC 7493 §2.3): `JSON.parse` keeps the last,
 * other parsers the first, so a proxy or log could read another request than the bank books. For parsed text.
 */
export function assertNoDuplicateKeys(text: string): void {
  const duplicate = findDuplicateKey(text);
  if (duplicate) throw new ApiError(400, 'invalid_json', `expected each member name once, received ${describeJsonPath(duplicate)} twice`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const names = issue.keys.slice(0, 5).map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}...` : key));
  return `expected only the documented fields, received ${names.join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`;
}
