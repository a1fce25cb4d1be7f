import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An HTTP protocol error thrown by the edge (routes, body parsing,
 * authentication); domain code throws `PaykeyError` instead. `code` is part of the public contract
 * (stable snake_case, also carried by the widget's `paykey-error` event);
 * `message` is for humans and may change.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;

  constructor(status: ContentfulStatusCode, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }

  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
