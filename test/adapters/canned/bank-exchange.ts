/**
 * A bank's HTTP exchanges recorded from its sandbox (ActiveMerchant's canned
 * responses): what the adapter sent, what the bank answered, and what the adapter
 * made of it. Replayed without a live process, they test the adapter's mapping.
 * Never recorded: the Authorization header.
 */

/** One request as the adapter sent it, its URL relative to the adapter's base URL. */
export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: unknown;
}

/** What came back: an answer, or no answer at all (`timeout`, or the socket error code such as `UND_ERR_SOCKET`). */
export type RecordedResponse = { status: number; contentType: string | null; body: string } | { network: string };

export interface RecordedExchange {
  request: RecordedRequest;
  response: RecordedResponse;
}

/** The adapter calls a fixture can replay, with their arguments as JSON. */
export type CannedCall =
  | { method: 'brand'; args: [] }
  | { method: 'tokenizeCard'; args: [card: unknown, idempotencyKey: string] }
  | { method: 'releaseToken'; args: [token: string] }
  | { method: 'quoteFx'; args: [request: unknown] }
  | { method: 'feeSchedule'; args: [] }
  | { method: 'charge'; args: [request: unknown] }
  | { method: 'lookupCharge'; args: [reference: string] }
  | { method: 'refund'; args: [request: unknown] }
  | { method: 'lookupRefund'; args: [reference: string] }
  | { method: 'listCharges'; args: [since: string] }
  | { method: 'listRefunds'; args: [since: string] }
  | { method: 'offersFor'; args: [request: unknown] }
  | { method: 'redeemOffer'; args: [request: unknown] }
  | { method: 'revokeOffer'; args: [request: unknown] }
  | { method: 'offerRedemption'; args: [redemptionId: string] }
  | { method: 'recordOfferConsent'; args: [record: unknown] };

/** What the adapter made of it: a value, or an error by class name with its message and refusal. */
export type CannedOutcome = { value: unknown } | { error: { name: string; message: string; refusal: unknown } };

/**
 * What the scenario must show, stated when it is recorded (not read off the recording): the error class, or the
 * fields a value must have. The recording refuses an outcome that breaks it, and so does every replay.
 */
export type CannedExpectation = { error: 'BankTransportError' | 'BankConfigurationError' } | { value: Record<string, unknown> | null };

export interface CannedFixture {
  /** What the scenario shows, e.g. "a 409 after the bank booked is an unknown outcome". */
  scenario: string;
  expect: CannedExpectation;
  /** The base URL the adapter was recorded with (messages name its origin). */
  baseUrl: string;
  call: CannedCall;
  exchanges: RecordedExchange[];
  outcome: CannedOutcome;
}

/** Whether `outcome` is what `expect` says; a message naming both when not. */
export function breaksExpectation(outcome: CannedOutcome, expect: CannedExpectation): string | null {
  const received = JSON.stringify(outcome);
  if ('error' in expect) {
    return 'error' in outcome && outcome.error.name === expect.error ? null : `expected a ${expect.error}, received ${received}`;
  }
  if (!('value' in outcome)) return `expected a value, received ${received}`;
  if (expect.value === null) return outcome.value === null ? null : `expected null, received ${received}`;
  const value = outcome.value as Record<string, unknown> | null;
  const wrong = Object.entries(expect.value).filter(([key, want]) => JSON.stringify(value?.[key]) !== JSON.stringify(want));
  return wrong.length === 0 ? null : `expected ${JSON.stringify(expect.value)}, received ${received}`;
}
