/**
 * The bench's shoppers: each registered once over HTTP with its own software passkey and one saved card that the
 * sandbox bank approves, and pinned to one wallet instance (its sign counter reaches the server in order because a
 * shopper pays one payment at a time).
 */
import { describeResult, httpJson } from '../chaos/http-json.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import type { BenchStack } from './server-stack.ts';

/** A sandbox-bank card that is always approved. */
export const APPROVE_CARD = '4242424242424242';

export interface BenchShopper {
  email: string;
  authenticator: SoftwareAuthenticator;
  cardId: string;
  /** The wallet instance this shopper's frame talks to. */
  walletUrl: string;
  /** The shopper's own address, sent as `X-Forwarded-For` (the wallet trusts one proxy hop in the bench). */
  address: string;
}

export async function registerBenchShoppers(stack: BenchStack, count: number, runId: string): Promise<BenchShopper[]> {
  const shoppers: BenchShopper[] = [];
  for (let i = 0; i < count; i++) {
    const walletUrl = stack.walletUrls[i % stack.walletUrls.length];
    shoppers.push(await registerShopper(stack, walletUrl, `shopper-${i}@${runId}.bench.example`, `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`));
  }
  return shoppers;
}

async function registerShopper(stack: BenchStack, walletUrl: string, email: string, address: string): Promise<BenchShopper> {
  const from = { 'x-forwarded-for': address };
  const intent = await post(walletUrl, '/v1/payment_intents', { amount: 100, currency: 'USD', description: 'bench: shopper sign-up', reference: `signup-${email}` }, {
    authorization: `Bearer ${stack.secretKey}`,
    'idempotency-key': `signup-${email}`,
  });
  const authenticator = new SoftwareAuthenticator();
  const options = await post(walletUrl, '/api/frame/registrations/options', { client_secret: intent.client_secret, email }, from);
  const registration = await post(walletUrl, '/api/frame/registrations', {
    client_secret: intent.client_secret,
    challenge_id: options.challengeId,
    response: authenticator.createCredential(options.options, { origin: stack.publicOrigin, topOrigin: stack.merchantOrigin }),
  }, from);
  const added = await post(
    walletUrl,
    '/api/frame/cards',
    { number: APPROVE_CARD, exp_month: 12, exp_year: new Date().getFullYear() + 3, cvc: '123', name: 'Bench Shopper', save: true },
    { ...from, authorization: `Bearer ${registration.sessionToken}`, 'idempotency-key': `card-${email}` },
  );
  return { email, authenticator, cardId: added.card.id, walletUrl, address };
}

/** A set-up call: it must succeed. */
async function post(walletUrl: string, pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const result = await httpJson(`${walletUrl}${pathname}`, { method: 'POST', body, headers });
  if (result.status !== 200 && result.status !== 201) {
    throw new Error(`bench set-up: POST ${pathname}: expected 200/201, received ${describeResult(result)} ${JSON.stringify(result.body ?? '')}`);
  }
  return result.body;
}
