import { WalletApiError } from '../api/wallet-api.ts';
import type { CheckoutFlow } from './checkout-flow.ts';
import { wholeTable } from './whole-table.ts';

/**
 * `CheckoutFlow.run`'s error handler for a call made with the session: a 401 means it ended (expired, or signed out
 * elsewhere), so it is forgotten and the shopper is asked to continue with their passkey again (handled: true).
 * Anything else is left to `run`, which says it in the alert.
 */
export function sessionLost(flow: CheckoutFlow): (error: unknown) => boolean {
  return (error) => {
    if (!(error instanceof WalletApiError && error.status === 401)) return false;
    flow.session = undefined;
    flow.set({ alert: wholeTable(flow.state).errorSessionExpired });
    return true;
  };
}
