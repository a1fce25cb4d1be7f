/**
 * Reads the standard's OBErrorResponse1 (`{ Code, Message, Errors: [{ ErrorCode, Message, Path? }] }`) from an
 * answer, and describes an answer for an error message — redacted (the server's one redactor, bank-text mode) of the call's secrets and of account numbers.
 */
import { z } from 'zod';
import type { ObAnswer } from './ob-transport.ts';
import { BANK_TEXT, quoteRedacted } from '../redact-secrets.ts';

const obErrorResponse = z.object({
  Code: z.string(),
  Message: z.string(),
  Errors: z.array(z.object({ ErrorCode: z.string(), Message: z.string(), Path: z.string().optional() })).min(1),
});

export type ObErrorResponse = z.infer<typeof obErrorResponse>;

/** The error body when the answer is a well-formed OBErrorResponse1 that the bank signed; else `null`. */
export function signedObError(answer: ObAnswer): ObErrorResponse | null {
  if (answer.signatureProblem !== null) return null;
  const parsed = obErrorResponse.safeParse(answer.body);
  return parsed.success ? parsed.data : null;
}

export function hasErrorCode(error: ObErrorResponse, code: string): boolean {
  return error.Errors.some((entry) => entry.ErrorCode === code);
}

/** "HTTP 400 (interaction …): U002 Data.Initiation…: message; …" — what the bank said, scrubbed and short. */
export function describeAnswer(answer: ObAnswer, secrets: readonly (string | undefined)[] = []): string {
  const parsed = obErrorResponse.safeParse(answer.body);
  const detail = parsed.success
    ? parsed.data.Errors.map((e) => `${e.ErrorCode}${e.Path ? ` ${e.Path}` : ''}: ${e.Message}`).join('; ')
    : answer.text
      ? `a body that is not an OBErrorResponse1 (${answer.text.length} characters)`
      : 'no body';
  const signature = answer.signatureProblem === null ? '' : ' (not signed by the bank)';
  return `HTTP ${answer.status}${signature} (interaction ${answer.interactionId}): ${quoteRedacted(detail, secrets, BANK_TEXT)}`;
}
