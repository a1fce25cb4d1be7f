import type { CheckoutAnswer } from '../../shopper-api.ts';
import type { WalletApiError } from '../api/wallet-api.ts';
import type { PaymentState } from './wait-for-outcome.ts';

/**
 * The confirmation's answer was lost (no connection, a 5xx, an unreadable body) or the intent had already moved on:
 * the attempt may be running, so Pay comes back only once `/checkout` says none started. Rethrows `error` for that
 * (the alert); if `/checkout` fails too, assumes an attempt runs — the pending screen, whose watch asks again.
 */
export async function stateAfterLostAnswer(error: unknown, checkout: () => Promise<CheckoutAnswer>, paymentIntentId: string): Promise<PaymentState> {
  const e = error as WalletApiError;
  // A 4xx is the server's definite "no" (nothing started), unless it says the intent is no longer waiting for Pay.
  if (e.status >= 400 && e.status < 500 && e.code !== 'payment_intent_unexpected_state') throw error;
  const state = await checkout().catch((lost: WalletApiError) => {
    if (lost.code === 'payment_intent_canceled') throw lost;
    return { paymentIntentId, status: 'processing' as const, lastError: null };
  });
  if (state.status === 'requires_confirmation') throw error;
  return state;
}
