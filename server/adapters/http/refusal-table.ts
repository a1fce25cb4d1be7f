/**
 * A bank's refusals (its non-2xx answers that `send` let through) as one table per
 * bank instead of a branch block per call. Each row says what a status means for
 * some calls:
 * - `decline`: a definite refusal, nothing moved — a value (`declined` / `failed` /
 *   `rejected`) with the bank's code when it is a standard one, else `code`. With
 *   `standardCodeOnly`, a body without a standard code does not match the row (a
 *   money-moving call must not take a middlebox's error page for a decline).
 * - `unknown`: the bank may have acted — `BankTransportError` carrying the refusal
 *   (`code`, else the bank's) for the engine to use once a lookup proves nothing was booked.
 * With `bankCodes`, a row matches only a body carrying one of those codes of the bank's own (a refusal it
 * documents, e.g. an FX quote that expired before the charge).
 * The first matching row wins; `status: 'other'` matches any status. No row → the
 * adapter and the bank disagree on the API (`BankConfigurationError`).
 */
import { isCardDeclineCode, type CardDeclineCode } from '../bank-result-code.ts';
import type { BankAnswer } from './bank-http-transport.ts';

export interface RefusalRow<Call extends string> {
  status: readonly number[] | 'other';
  calls: readonly Call[];
  means: 'decline' | 'unknown';
  code?: CardDeclineCode;
  standardCodeOnly?: boolean;
  bankCodes?: readonly string[];
}

export type RefusalTable<Call extends string> = readonly RefusalRow<Call>[];

/** The bank's own `{ code, message }` in an error answer, if it has one. */
export type ReadBankError = (body: unknown) => { code: string; message?: string } | null;

export type RefusalMeaning =
  | { means: 'decline'; code: CardDeclineCode; message: string }
  | { means: 'unknown'; code: CardDeclineCode; message: string }
  | { means: 'unexpected'; bankCode: string | undefined };

export function readRefusal<Call extends string>(
  table: RefusalTable<Call>,
  call: Call,
  answer: BankAnswer,
  readError: ReadBankError,
  redact: (text: string) => string,
): RefusalMeaning {
  const error = readError(answer.body);
  for (const row of table) {
    if (!row.calls.includes(call)) continue;
    if (row.status !== 'other' && !row.status.includes(answer.status)) continue;
    if (row.standardCodeOnly && !isCardDeclineCode(error?.code)) continue;
    if (row.bankCodes && !(error && row.bankCodes.includes(error.code))) continue;
    const bankCode = error && isCardDeclineCode(error.code) ? error.code : 'processing_error';
    const message = error ? redact(error.message ?? error.code) : `the bank refused the request (HTTP ${answer.status})`;
    return { means: row.means, code: row.code ?? bankCode, message };
  }
  return { means: 'unexpected', bankCode: error?.code };
}
