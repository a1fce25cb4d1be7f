/**
 * Middleware: checks every answer of the API against the official document (status, headers, body) before
 * it leaves. An answer that fails is a bug in Meridian: it is logged, kept in the validation log (read by
 * tests at GET /admin/validation-failures) and replaced by a 500 OBErrorResponse1.
 */
import type { MiddlewareHandler } from 'hono';
import type { SpecValidator } from '../spec/create-spec-validator.ts';
import type { ObEnv } from './ob-env.ts';
import type { ObResponder } from './ob-responder.ts';

export interface ResponseValidationFailure {
  at: string;
  method: string;
  path: string;
  status: number;
  errors: string[];
}

export interface ValidationLog {
  /** Answers checked so far. */
  checked: number;
  failures: ResponseValidationFailure[];
}

export function validatePispResponses(spec: SpecValidator, log: ValidationLog, responder: ObResponder): MiddlewareHandler<ObEnv> {
  return async function validateResponse(c, next) {
    await next();
    const operation = c.get('operation') ?? spec.match(c.req.method, c.req.path);
    const response = c.res;
    const text = await response.clone().text();
    const problems: string[] = [];
    let body: unknown;
    if (text.length > 0) {
      const contentType = response.headers.get('content-type') ?? '';
      if (!/^application\/json(; charset=utf-8)?$/.test(contentType)) problems.push(`content-type: expected application/json; charset=utf-8, received ${contentType}`);
      try {
        body = JSON.parse(text);
      } catch {
        problems.push('body: expected JSON, received text that does not parse');
      }
    }
    if (operation) {
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      for (const error of spec.validateResponse(operation, response.status, headers, body)) {
        problems.push(`${error.instancePath || '(root)'} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
      }
    } else if (response.headers.get('x-fapi-interaction-id') === null) {
      problems.push('headers: expected x-fapi-interaction-id, received none');
    }
    log.checked += 1;
    if (problems.length === 0) return;
    const failure: ResponseValidationFailure = {
      at: new Date().toISOString(),
      method: c.req.method,
      path: c.req.path,
      status: response.status,
      errors: problems,
    };
    log.failures.push(failure);
    console.error(`Meridian Bank: BUG: its answer to ${failure.method} ${failure.path} (HTTP ${failure.status}) breaks the standard: ${problems.join('; ')}`);
    c.res = undefined;
    c.res = responder.unexpected(c, 'Meridian Bank built an answer that breaks the standard (logged); the outcome is unknown');
  };
}
