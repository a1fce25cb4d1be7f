/**
 * The shopper's grant to pay one consent (an `AccountPaymentAuthorization`): an access token from the bank's
 * authorization_code grant, bound to that consent. The token is a private field: `JSON.stringify`, `String()`
 * and `util.inspect` show `[REDACTED]`; `accessToken()` reads it, to send it to the bank or store it encrypted
 * (`BankAccessGrant.restore` turns a stored one back into a grant).
 */
import type { AccountPaymentAuthorization } from './account-payment-adapter.ts';

export class BankAccessGrant implements AccountPaymentAuthorization {
  readonly #token: string;

  constructor(
    readonly consentId: string,
    token: string,
    readonly expiresAt: Date,
  ) {
    this.#token = token;
  }

  static restore(stored: { consentId: string; accessToken: string; expiresAt: string | Date }): BankAccessGrant {
    return new BankAccessGrant(stored.consentId, stored.accessToken, new Date(stored.expiresAt));
  }

  accessToken(): string {
    return this.#token;
  }

  /** Whether the grant still works `marginMs` from now. */
  isLive(now = new Date(), marginMs = 5_000): boolean {
    return this.expiresAt.getTime() - marginMs > now.getTime();
  }

  toJSON(): Record<string, string> {
    return { consentId: this.consentId, accessToken: '[REDACTED]', expiresAt: this.expiresAt.toISOString() };
  }

  toString(): string {
    return `BankAccessGrant(${this.consentId}, [REDACTED])`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
