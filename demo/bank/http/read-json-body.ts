/**
 * Reads a request's JSON body and validates it against a zod schema:
 * unparseable → 400 `invalid_json`, wrong shape → 422 `validation_error` naming
 * each field with what was expected and received (zod messages never echo values).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error.ts';

export async function readJsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'invalid_json', 'expected a JSON request body, received something that does not parse as JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
      .join('; ');
    throw new ApiError(422, 'validation_error', details);
  }
  return parsed.data;
}
