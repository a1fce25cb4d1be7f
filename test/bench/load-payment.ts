/**
 * One full payment as a shopper's frame makes it, for an intent it holds: the terms with the challenge bound to them
 * (`POST /api/frame/quotes`), a passkey assertion from the software authenticator, and the
 * confirmation, which answers once the bank's charge is done. When the wallet answered `processing` (the bank did
 * not answer within the wallet's timeout; the outbox settles it) the frame asks again (`POST /api/frame/checkout`)
 * until the payment is final, and so does this. Anything but `succeeded` in the end throws: the bench only measures
 * payments that went through.
 */
import { describeResult, httpJson, type HttpResult } from '../chaos/http-json.ts';
import type { BenchShopper } from './load-shoppers.ts';

export interface FrameOrigins {
  /** The wallet's public origin (the frame's origin, the passkey's rpID). */
  publicOrigin: string;
  /** The merchant page embedding the frame. */
  merchantOrigin: string;
}

/** How a payment became final: in the confirmation's answer, or by asking again after `processing`. */
export type SettledBy = 'answer' | 'poll';

const POLL_MS = 100;
const POLL_DEADLINE_MS = 60_000;

export async function payIntent(shopper: BenchShopper, clientSecret: string, origins: FrameOrigins): Promise<SettledBy> {
  const { walletUrl, cardId } = shopper;
  const headers = { 'x-forwarded-for': shopper.address };
  const quote = expect200('quote', await httpJson(`${walletUrl}/api/frame/quotes`, { method: 'POST', body: { client_secret: clientSecret, card_id: cardId }, headers }));
  // The challenge comes with the terms (as the frame's Pay uses it); asked for only when it did not.
  const options = quote.confirmation ?? expect200(
    'confirmation options',
    await httpJson(`${walletUrl}/api/frame/confirmations/options`, {
      method: 'POST',
      body: { client_secret: clientSecret, card_id: cardId, quote_id: quote.terms.quoteId },
      headers,
    }),
  );
  const response = shopper.authenticator.getAssertion(options.options, { origin: origins.publicOrigin, topOrigin: origins.merchantOrigin });
  const confirmed = expect200(
    'confirmation',
    await httpJson(`${walletUrl}/api/frame/confirmations`, {
      method: 'POST',
      body: { client_secret: clientSecret, challenge_id: options.challengeId, response },
      headers,
    }),
  );
  if (confirmed.status === 'succeeded') return 'answer';
  if (confirmed.status !== 'processing') {
    throw new Error(`payment by ${shopper.email}: expected the confirmation to answer succeeded, received ${confirmed.status} ${JSON.stringify(confirmed.lastError ?? null)}`);
  }
  const giveUpAt = Date.now() + POLL_DEADLINE_MS;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const view = expect200('checkout', await httpJson(`${walletUrl}/api/frame/checkout`, { method: 'POST', body: { client_secret: clientSecret }, headers }));
    if (view.status === 'succeeded') return 'poll';
    if (view.status !== 'processing' || Date.now() > giveUpAt) {
      throw new Error(`payment by ${shopper.email}: expected it to settle succeeded after processing, received ${view.status} after ${POLL_DEADLINE_MS - (giveUpAt - Date.now())} ms`);
    }
  }
}

function expect200(step: string, result: HttpResult): any {
  if (result.status !== 200) throw new Error(`payment ${step}: expected HTTP 200, received ${describeResult(result)} ${JSON.stringify(result.body ?? '')}`);
  return result.body;
}
