import { statusOf, type ErrorStatus, type ServerErrorCode } from '../../widget/error-codes.ts';

/**
 * Every code the server can send, domain and edge alike, with its HTTP status: one table, in
 * `widget/error-codes.ts` (shared with the wallet frame and the loader). Re-exported here for the server.
 */
export type ErrorCode = ServerErrorCode;

/** A domain error: a code from the closed set and a message for humans; no HTTP in sight. */
export class PaykeyError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaykeyError';
    this.code = code;
  }

  /** The code's status in the one table (its first, for a code with several). */
  get status(): ErrorStatus {
    return statusOf(this.code);
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
