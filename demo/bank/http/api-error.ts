/**
 * An HTTP error answer of the sandbox bank: thrown by handlers, turned into
 * `{ error: { code, message } }` with its status in one `onError`.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export function apiErrorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}
