/**
 * The bank's validator over the official document (openapi-backend + ajv-formats): every request Meridian
 * receives and every response it sends under `/open-banking/v4.0/pisp` is checked against it.
 *
 * Start-up validates the (erratum-fixed) document against the OpenAPI 3.0 schema, then compiles the
 * validators of the operations Meridian implements (the other ~36 are compiled only if ever used; compiling
 * all of them takes ~20 s).
 */
import type { ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { OpenAPIBackend, SetMatchType, type Operation } from 'openapi-backend';
import { loadPaymentInitiationSpec } from './load-payment-initiation-spec.ts';

export const PISP_API_ROOT = '/open-banking/v4.0/pisp';

/** The operations Meridian implements (operationIds of the document). */
export const IMPLEMENTED_OPERATIONS = [
  'CreateDomesticPaymentConsents',
  'GetDomesticPaymentConsentsConsentId',
  'CreateDomesticPayments',
  'GetDomesticPaymentsDomesticPaymentId',
] as const;
export type ImplementedOperation = (typeof IMPLEMENTED_OPERATIONS)[number];

export interface SpecRequest {
  method: string;
  /** The full path, starting with PISP_API_ROOT. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  query?: Record<string, string>;
  /** The parsed JSON body, or undefined. */
  body?: unknown;
}

export interface SpecValidator {
  /** The document's operation for a request, or undefined when the document has no such path and method. */
  match(method: string, path: string): Operation | undefined;
  validateRequest(operation: Operation, request: SpecRequest): ErrorObject[];
  validateResponse(operation: Operation, status: number, headers: Record<string, string>, body: unknown): ErrorObject[];
}

// ajv-formats is CommonJS with `exports.default`.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

export async function createSpecValidator(): Promise<SpecValidator> {
  const api = new OpenAPIBackend({
    definition: loadPaymentInitiationSpec(),
    apiRoot: PISP_API_ROOT,
    strict: true,
    // Lazy validator compilation; the document itself is validated below.
    quick: true,
    ajvOpts: { allErrors: true },
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.loadDocument();
  api.validateDefinition();
  await api.init();

  const validator: SpecValidator = {
    match(method, path) {
      try {
        return api.router.matchOperation({ method: method.toLowerCase(), path, headers: {} }) ?? undefined;
      } catch {
        return undefined;
      }
    },
    validateRequest(operation, request) {
      const result = api.validator.validateRequest(
        { method: request.method.toLowerCase(), path: request.path, headers: request.headers, query: request.query ?? {}, body: request.body },
        operation,
      );
      return result.errors ?? [];
    },
    validateResponse(operation, status, headers, body) {
      const errors: ErrorObject[] = [];
      const bodyResult = api.validator.validateResponse(body, operation, status);
      errors.push(...(bodyResult.errors ?? []));
      const headerResult = api.validator.validateResponseHeaders(headers, operation, { statusCode: status, setMatchType: SetMatchType.Superset });
      errors.push(...(headerResult.errors ?? []));
      return errors;
    },
  };

  // Compile the implemented operations now, so the first request is not slow.
  for (const operationId of IMPLEMENTED_OPERATIONS) {
    const operation = api.router.getOperation(operationId);
    if (!operation) throw new Error(`Payment Initiation OpenAPI document: expected an operation ${operationId}, received none`);
    api.validator.getRequestValidatorsForOperation(operationId);
    api.validator.getStatusBasedResponseValidatorForOperation(operationId);
    api.validator.getResponseHeadersValidatorForOperation(operationId);
  }
  return validator;
}
