import { type ErrorStatus, type ServerErrorCode, type StatusOf } from '../../widget/error-codes.ts';

/**
 * An HTTP protocol error thrown by the edge (routes, body parsing,
 * authentication); domain code throws `PaykeyError` instead. `code` comes from the one closed set
 * (`widget/error-codes.ts`), and `status` must be one the table gives that code: `new ApiError(401,
 * 'resource_missing', …)` does not type-check. `message` is for humans and may change.
 */
export class ApiError<C extends ServerErrorCode = ServerErrorCode> extends Error {
  readonly status: ErrorStatus;
  readonly code: C;

  constructor(status: StatusOf<C>, code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  toJSON(): { error: { code: C; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
