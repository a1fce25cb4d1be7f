/**
 * How the conformance suite changes a bank's offers from outside, whatever the bank: each bank's sandbox has its own
 * switch (the demo card banks' `/sandbox/offers/*`, README "Bank offers"); its test passes an implementation of this,
 * or the reason it has none (the cases needing it are then skipped, with the reason printed).
 */
export interface BankOfferControl {
  /** Changes the offer's version now: quotes of the old version must then be refused `offer_changed`. */
  bumpVersion(offerId: string): Promise<void>;
  /** How many distinct revoke requests (idempotency keys) the bank received for this redemption. */
  revocationsOf(redemptionId: string): Promise<number>;
  /** Back to the bank's own offers (versions and controls as it started). */
  restore(): Promise<void>;
}

export interface NoBankOfferControl {
  unavailable: string;
}

/** The demo card banks' offer switch and log (`/sandbox/offers/*`, under the admin key). */
export function cardBankOfferControl(bank: { url: string; adminKey: string }): BankOfferControl {
  const admin = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetch(new URL(path, bank.url), {
      method,
      headers: { authorization: `Bearer ${bank.adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`card bank offers: expected ${method} ${path} to answer 200, received ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  return {
    bumpVersion: async (offerId) => void (await admin('POST', '/sandbox/offers/controls', { offerId, mode: 'bump_version' })),
    async revocationsOf(redemptionId) {
      const log = (await admin('GET', '/sandbox/offers/log')) as { redemptions: { redemptionId: string; revocations: number }[] };
      const found = log.redemptions.find((redemption) => redemption.redemptionId === redemptionId);
      if (!found) throw new Error(`card bank offers: expected redemption ${redemptionId} in the bank's log, received none`);
      return found.revocations;
    },
    restore: async () => void (await admin('DELETE', '/sandbox/offers/catalog')),
  };
}
