import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';
import { describeJsonPath, findDuplicateKey } from './find-duplicate-key.ts';
import { scrubText } from './redacting-logger.ts';

/**
 * Reads a JSON object body: 415 for another content type, 400 for malformed
 * JSON, a member name twice in one object, a non-object or a NUL, then the
 * schema (whose failures `toError` maps to a code).
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  toError: (issue: z.core.$ZodIssue) => ApiError = defaultValidationError,
  /** A cheaper check of what the schema accepts: its output for a body it vouches for, else undefined (the schema decides). */
  plain?: (raw: unknown) => z.output<S> | undefined,
): Promise<{ data: z.output<S>; raw: unknown }> {
  const raw = await readJson(c);
  const vouched = plain?.(raw);
  if (vouched !== undefined) return { data: vouched, raw };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw toError(parsed.error.issues[0]);
  return { data: parsed.data, raw };
}

export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_request', 'The request body is not valid JSON');
  }
  // I-JSON (RFC 7493 §2.3): JSON.parse keeps the last of two equal names, other parsers the first.
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    // A name is no value, but one could be a card number all the same: it is scrubbed like a log line.
    throw new ApiError(400, 'invalid_request', `Expected each member name once; received ${scrubText(describeJsonPath(duplicate))} twice`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'invalid_request', 'The request body must be a JSON object');
  }
  // No text we keep may hold a NUL: PostgreSQL cannot store one, and no legitimate value has one.
  if (text.includes('\\u0000') && containsNul(value)) {
    throw new ApiError(400, 'invalid_request', 'Expected text without NUL (\\u0000) characters, received one');
  }
  return value;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\0') || containsNul(v));
  return false;
}

export function defaultValidationError(issue: z.core.$ZodIssue): ApiError {
  return new ApiError(422, 'invalid_request', describeIssue(issue));
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return `Invalid ${field}: ${issue.message}`;
}
