/** Makes one adapter call from its JSON description and captures the outcome as JSON (recording and replay alike). */
import type { BankAdapter, CardDetails, ChargeRequest, RefundRequest } from '../../../server/adapters/bank-adapter.ts';
import type { FxQuoteRequest } from '../../../server/adapters/fx-quote.ts';
import type { OfferConsentRecord, OffersRequest, RedeemOfferRequest, RevokeOfferRequest } from '../../../server/adapters/bank-offers.ts';
import type { CannedCall, CannedOutcome } from './bank-exchange.ts';

export async function callAdapter(adapter: BankAdapter, call: CannedCall): Promise<CannedOutcome> {
  try {
    return { value: JSON.parse(JSON.stringify(await invoke(adapter, call))) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const refusal = (error as { refusal?: unknown }).refusal ?? null;
    return { error: { name: error.name, message: error.message, refusal } };
  }
}

async function invoke(adapter: BankAdapter, call: CannedCall): Promise<unknown> {
  switch (call.method) {
    case 'brand':
      return adapter.brand();
    case 'tokenizeCard':
      return adapter.tokenizeCard(call.args[0] as CardDetails, call.args[1]);
    case 'releaseToken':
      // Nothing to return: null stands for "released" in JSON.
      return (await adapter.releaseToken(call.args[0])) ?? null;
    case 'quoteFx':
      return adapter.quoteFx!(call.args[0] as FxQuoteRequest);
    case 'feeSchedule':
      return adapter.feeSchedule!();
    case 'charge':
      return adapter.charge(call.args[0] as ChargeRequest);
    case 'lookupCharge':
      return adapter.lookupCharge(call.args[0]);
    case 'refund':
      return adapter.refund(call.args[0] as RefundRequest);
    case 'lookupRefund':
      return adapter.lookupRefund(call.args[0]);
    case 'listCharges':
      return collect(adapter.listCharges(new Date(call.args[0])));
    case 'listRefunds':
      return collect(adapter.listRefunds(new Date(call.args[0])));
    case 'offersFor':
      return adapter.offersFor!(call.args[0] as OffersRequest);
    case 'redeemOffer':
      return adapter.redeemOffer!(call.args[0] as RedeemOfferRequest);
    case 'revokeOffer':
      // Nothing to return: null stands for "revoked" in JSON.
      return (await adapter.revokeOffer!(call.args[0] as RevokeOfferRequest)) ?? null;
    case 'offerRedemption':
      return adapter.offerRedemption!(call.args[0]);
    case 'recordOfferConsent':
      return (await adapter.recordOfferConsent!(call.args[0] as OfferConsentRecord)) ?? null;
  }
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}
