/**
 * How the conformance suite makes a bank misbehave, whatever the bank: each bank's
 * sandbox has its own fault switch (the sandbox bank's `/admin/faults`, Meridian's
 * `/admin/faults` with its own route names); its test passes an implementation of
 * this, or the reason it has none (the fault cases are then skipped, with the reason printed).
 */

/** What the bank does to the next matching call (README "Fault injection"). */
export type BankFaultKind =
  /** Hold the call `holdMs`, then book and answer anyway (the caller has given up by then). */
  | 'timeout'
  /** Book, then close the connection without an answer. */
  | 'drop_after'
  /** Book, then answer a 409 that is not a decline (a proxy's). */
  | 'conflict_after'
  /** Book, then answer 200 with cut-off JSON. */
  | 'garbled_after'
  /** Book, then answer a 5xx. */
  | 'error_after'
  /** Deliver the call twice back to back; the caller gets the second answer. */
  | 'duplicate';

/** The money-moving calls a fault can hit: a card charge, a refund, an account-to-account payment. */
export type BankFaultCall = 'charge' | 'refund' | 'payment';

export interface BankFaultControl {
  /** The kinds this bank's switch can make; a case needing another is skipped, saying so. */
  readonly kinds: readonly BankFaultKind[];
  /** Arms one fault for the next `call` only. */
  inject(call: BankFaultCall, kind: BankFaultKind, options?: { holdMs?: number }): Promise<void>;
  /** Removes every armed fault. */
  clear(): Promise<void>;
}

/** A bank whose sandbox cannot inject faults: why, printed with each skipped case. */
export interface NoBankFaultControl {
  unavailable: string;
}
