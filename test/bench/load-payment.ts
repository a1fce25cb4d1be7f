/**
 * One full payment as a shopper's frame makes it, for an intent it holds: the terms (`POST /api/frame/quotes`), the
 * challenge bound to them (`/confirmations/options`), a passkey assertion from the software authenticator, and the
 * confirmation, which answers once the bank's charge is done. Anything but `succeeded` throws: the bench only
 * measures payments that went through.
 */
import { describeResult, httpJson, type HttpResult } from '../chaos/http-json.ts';
import type { BenchShopper } from './load-shoppers.ts';

export interface FrameOrigins {
  /** The wallet's public origin (the frame's origin, the passkey's rpID). */
  publicOrigin: string;
  /** The merchant page embedding the frame. */
  merchantOrigin: string;
}

export async function payIntent(shopper: BenchShopper, clientSecret: string, origins: FrameOrigins): Promise<void> {
  const { walletUrl, cardId } = shopper;
  const quote = expect200('quote', await httpJson(`${walletUrl}/api/frame/quotes`, { method: 'POST', body: { client_secret: clientSecret, card_id: cardId } }));
  const options = expect200(
    'confirmation options',
    await httpJson(`${walletUrl}/api/frame/confirmations/options`, {
      method: 'POST',
      body: { client_secret: clientSecret, card_id: cardId, quote_id: quote.terms.quoteId },
    }),
  );
  const response = shopper.authenticator.getAssertion(options.options, { origin: origins.publicOrigin, topOrigin: origins.merchantOrigin });
  const confirmed = expect200(
    'confirmation',
    await httpJson(`${walletUrl}/api/frame/confirmations`, {
      method: 'POST',
      body: { client_secret: clientSecret, challenge_id: options.challengeId, response },
    }),
  );
  if (confirmed.status !== 'succeeded') {
    throw new Error(`payment by ${shopper.email}: expected the confirmation to answer succeeded, received ${confirmed.status} ${JSON.stringify(confirmed.lastError ?? null)}`);
  }
}

function expect200(step: string, result: HttpResult): any {
  if (result.status !== 200) throw new Error(`payment ${step}: expected HTTP 200, received ${describeResult(result)} ${JSON.stringify(result.body ?? '')}`);
  return result.body;
}
