/**
 * The shopper's return from the bank cannot be trusted as it is: another `state` than the one we sent, another
 * issuer (a mix-up), no code, or a code the bank granted for another consent. Not the bank's answer to one of
 * our calls, so neither a decline nor an unknown outcome: the wallet refuses that request (400) and leaves the
 * payment as it was — the consent can still be approved, looked up or abandoned.
 */
export class AuthorizationCallbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizationCallbackError';
  }
}
