/**
 * Errors of the Open Banking API, answered as the standard's OBErrorResponse1 (or, for the statuses whose
 * response has no body in the document — 401, 404, 405, 406, 415 — as an empty answer).
 * ErrorCode values are the v4.0 codes of `OBExternalStatusReason1Code` (OB_Internal_CodeSet): four characters.
 */
export const OB_ERROR_CODES = {
  UnexpectedError: 'U000',
  FieldExpected: 'U001',
  FieldInvalid: 'U002',
  FieldInvalidDate: 'U003',
  FieldMissing: 'U004',
  FieldUnexpected: 'U005',
  HeaderInvalid: 'U006',
  HeaderMissing: 'U007',
  ResourceConsentMismatch: 'U008',
  ResourceInvalidConsentStatus: 'U009',
  ResourceInvalidFormat: 'U010',
  ResourceNotFound: 'U011',
  SignatureInvalid: 'U015',
  SignatureInvalidClaim: 'U016',
  SignatureMissingClaim: 'U017',
  SignatureMalformed: 'U018',
  SignatureMissing: 'U019',
  UnsupportedAccountIdentifier: 'U021',
  UnsupportedCurrency: 'U023',
  UnsupportedScheme: 'U027',
  ResourceAlreadyExists: 'U029',
  OtherReason: 'U042',
} as const;
export type ObErrorCode = (typeof OB_ERROR_CODES)[keyof typeof OB_ERROR_CODES];

/** One entry of OBErrorResponse1.Errors (OBError1). */
export interface ObErrorEntry {
  ErrorCode: ObErrorCode;
  Message: string;
  Path?: string;
}

export interface ObErrorResponse {
  Id?: string;
  Code: string;
  Message: string;
  Errors: ObErrorEntry[];
}

export type ObErrorStatus = 400 | 401 | 403 | 404 | 405 | 406 | 409 | 415 | 500;
/** The statuses whose response the document defines without a body. */
const BODILESS: ReadonlySet<number> = new Set([401, 404, 405, 406, 415]);

const HIGH_LEVEL: Record<ObErrorStatus, string> = {
  400: '400 BadRequest',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 NotFound',
  405: '405 MethodNotAllowed',
  406: '406 NotAcceptable',
  409: '409 Conflict',
  415: '415 UnsupportedMediaType',
  500: '500 InternalServerError',
};

export class ObError extends Error {
  readonly status: ObErrorStatus;
  readonly errors: ObErrorEntry[];

  constructor(status: ObErrorStatus, errors: ObErrorEntry[] | ObErrorEntry) {
    const list = (Array.isArray(errors) ? errors : [errors]).map(clip);
    super(list.map((e) => `${e.ErrorCode}${e.Path ? ` ${e.Path}` : ''}: ${e.Message}`).join('; '));
    this.name = 'ObError';
    this.status = status;
    this.errors = list;
  }

  get hasBody(): boolean {
    return !BODILESS.has(this.status);
  }

  body(id: string): ObErrorResponse {
    return {
      Id: id.slice(0, 40),
      Code: HIGH_LEVEL[this.status],
      Message: clipText(this.errors.length === 1 ? this.errors[0].Message : `${this.errors.length} errors; see Errors`),
      Errors: this.errors,
    };
  }
}

export function obError(status: ObErrorStatus, code: ObErrorCode, message: string, path?: string): ObError {
  return new ObError(status, path === undefined ? { ErrorCode: code, Message: message } : { ErrorCode: code, Message: message, Path: path });
}

function clip(entry: ObErrorEntry): ObErrorEntry {
  return { ...entry, Message: clipText(entry.Message), ...(entry.Path !== undefined ? { Path: clipText(entry.Path) } : {}) };
}

/** OBError1.Message and Path are at most 500 characters. */
function clipText(text: string): string {
  const nonEmpty = text.length > 0 ? text : 'no detail';
  return nonEmpty.length > 500 ? `${nonEmpty.slice(0, 497)}...` : nonEmpty;
}
