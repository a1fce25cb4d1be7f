import { BankConfigurationError, BankTransportError, type BankAdapter } from '../adapters/bank-adapter.ts';
import type { BankRegistry } from '../adapters/registry.ts';
import type { Metrics } from './metrics.ts';

/** The same adapter, timing every money call and counting its outcome. */
export function instrumentedAdapter(adapter: BankAdapter, metrics: Metrics): BankAdapter {
  const timed = async <T>(operation: string, call: () => Promise<T>, outcomeOf: (value: T) => string): Promise<T> => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const value = await call();
      metrics.bankCall(operation, outcomeOf(value), seconds());
      return value;
    } catch (error) {
      const outcome = error instanceof BankTransportError ? 'unknown' : error instanceof BankConfigurationError ? 'misconfigured' : 'error';
      metrics.bankCall(operation, outcome, seconds());
      throw error;
    }
  };
  const status = (value: { status: string } | null) => (value ? value.status : 'not_found');
  return {
    id: adapter.id,
    limits: adapter.limits,
    bins: adapter.bins,
    brand: () => adapter.brand(),
    tokenizeCard: (card, key) => timed('tokenize', () => adapter.tokenizeCard(card, key), status),
    releaseToken: (token) => timed('release_token', () => adapter.releaseToken(token), () => 'released'),
    charge: (request) => timed('charge', () => adapter.charge(request), status),
    lookupCharge: (reference) => timed('lookup_charge', () => adapter.lookupCharge(reference), status),
    refund: (request) => timed('refund', () => adapter.refund(request), status),
    lookupRefund: (reference) => timed('lookup_refund', () => adapter.lookupRefund(reference), status),
    listCharges: (since) => adapter.listCharges(since),
    listRefunds: (since) => adapter.listRefunds(since),
    ...(adapter.quoteFx && { quoteFx: (request) => timed('quote_fx', () => adapter.quoteFx!(request), () => 'quoted') }),
    ...(adapter.feeSchedule && { feeSchedule: adapter.feeSchedule.bind(adapter) }),
    // Capability `offers` (all five or none), timed like the money calls; outcomes name no offer.
    ...(adapter.offersFor && {
      offersFor: (request) => timed('offers_for', () => adapter.offersFor!(request), () => 'answered'),
      redeemOffer: (request) => timed('redeem_offer', () => adapter.redeemOffer!(request), status),
      revokeOffer: (request) => timed('revoke_offer', () => adapter.revokeOffer!(request), () => 'revoked'),
      offerRedemption: (id) => timed('offer_redemption', () => adapter.offerRedemption!(id), status),
      recordOfferConsent: (record) => timed('record_offer_consent', () => adapter.recordOfferConsent!(record), () => 'recorded'),
    }),
  };
}

/** A bank directory whose adapters are instrumented (one wrapper per adapter). */
export function instrumentedBanks(banks: BankRegistry, metrics: Metrics): BankRegistry {
  const wrapped = new Map<BankAdapter, BankAdapter>();
  const wrap = (adapter: BankAdapter) => {
    let instrumented = wrapped.get(adapter);
    if (!instrumented) wrapped.set(adapter, (instrumented = instrumentedAdapter(adapter, metrics)));
    return instrumented;
  };
  return {
    get: (id) => wrap(banks.get(id)),
    has: (id) => banks.has(id),
    default: () => wrap(banks.default()),
    all: () => banks.all().map(wrap),
    capabilitiesOf: (id) => banks.capabilitiesOf(id),
    bankForCardNumber: (digits) => wrap(banks.bankForCardNumber(digits)),
  };
}
