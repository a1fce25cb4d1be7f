/**
 * The shoppers of a chaos run, each registered once with its own software
 * passkey and saved cards, and lent to one payment at a time (a passkey's
 * signature counter must reach the server in order).
 */
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { describeResult, isRetryable, sleep, type HttpResult } from './http-json.ts';
import { createIntent } from './merchant-client.ts';
import type { Random } from './random.ts';
import type { WalletCluster } from './wallet-cluster.ts';

export const APPROVE_CARD = '4242424242424242';
export const DECLINE_CARD = '4000000000000002';
/** A second card that approves (any valid number other than the test cards does). */
export const SECOND_CARD = '5555555555554444';

export interface ShopperCard {
  id: string;
  approves: boolean;
}

export interface Shopper {
  email: string;
  authenticator: SoftwareAuthenticator;
  /** In the order the shopper tries them: the first, then (after a decline) the other one. */
  cards: ShopperCard[];
}

export interface ShopperPool {
  shoppers: Shopper[];
  /** The next free shopper (waits while all are paying). */
  acquire(): Promise<Shopper>;
  release(shopper: Shopper): void;
}

/**
 * 55% pay with an approving card and have a second approving one (after a
 * decline they pay with it: a decline we made up becomes a double charge);
 * 30% try a declined card first, then the approving one; 10% have only the
 * approving card; 5% only a declined one.
 */
function cardPlan(random: Random): string[] {
  const roll = random.next();
  if (roll < 0.55) return [APPROVE_CARD, SECOND_CARD];
  if (roll < 0.85) return [DECLINE_CARD, APPROVE_CARD];
  if (roll < 0.95) return [APPROVE_CARD];
  return [DECLINE_CARD];
}

export async function registerShoppers(wallet: WalletCluster, count: number, runId: string, random: Random): Promise<ShopperPool> {
  const shoppers: Shopper[] = [];
  for (let i = 0; i < count; i++) shoppers.push(await registerShopper(wallet, `shopper-${i}@${runId}.chaos.example`, cardPlan(random)));
  const free = [...shoppers];
  const waiting: Array<(shopper: Shopper) => void> = [];
  return {
    shoppers,
    acquire: () => (free.length > 0 ? Promise.resolve(free.splice(random.int(0, free.length - 1), 1)[0]) : new Promise((r) => waiting.push(r))),
    release(shopper) {
      const next = waiting.shift();
      if (next) next(shopper);
      else free.push(shopper);
    },
  };
}

async function registerShopper(wallet: WalletCluster, email: string, numbers: string[]): Promise<Shopper> {
  const deadline = Date.now() + 60_000;
  const intent = await createIntent(
    wallet,
    { amount: 100, currency: 'USD', description: 'chaos: shopper sign-up', reference: `signup-${email}` },
    `signup-${email}`,
    deadline,
  );
  const authenticator = new SoftwareAuthenticator();
  const ctx = { origin: wallet.publicOrigin, topOrigin: wallet.merchantOrigin };
  const options = await expectOk(wallet, '/api/frame/registrations/options', { client_secret: intent.client_secret, email });
  const registration = await expectOk(wallet, '/api/frame/registrations', {
    client_secret: intent.client_secret,
    challenge_id: options.challengeId,
    response: authenticator.createCredential(options.options, ctx),
  });
  const cards: ShopperCard[] = [];
  for (const [n, number] of numbers.entries()) {
    const added = await expectOk(
      wallet,
      '/api/frame/cards',
      { number, exp_month: 12, exp_year: new Date().getFullYear() + 3, cvc: '123', name: 'Chaos Shopper', save: true },
      { authorization: `Bearer ${registration.sessionToken}`, 'idempotency-key': `card-${email}-${n}` },
    );
    cards.push({ id: added.card.id, approves: number !== DECLINE_CARD });
  }
  return { email, authenticator, cards };
}

/** A set-up call (before any fault or crash): retried on a lost answer, else it must succeed. */
async function expectOk(wallet: WalletCluster, pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  for (let tries = 1; ; tries++) {
    const result: HttpResult = await wallet.request(pathname, { method: 'POST', body, headers });
    if (result.status === 200 || result.status === 201) return result.body;
    if (!isRetryable(result) || tries >= 10) {
      throw new Error(`shopper set-up: POST ${pathname}: ${describeResult(result)} ${JSON.stringify(result.body ?? '')}`);
    }
    await sleep(200 * tries);
  }
}
