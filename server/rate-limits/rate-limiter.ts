import type { Context } from 'hono';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { WalletDb } from '../store/database.ts';
import { clientIp } from './client-ip.ts';
import type { RateLimitAction, RateLimitKeyKind, RateLimitName, RateLimitPolicy } from './rate-limit-policy.ts';
import { hitRateLimits } from './rate-limit-store.ts';

export interface RateLimiterDeps {
  db: WalletDb;
  now: () => Date;
  policy: RateLimitPolicy;
  /** Proxies in front of this server that append to `X-Forwarded-For` (0: count the TCP peer). */
  trustedProxyHops: number;
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** What a request is counted by besides its IP address (which is always counted). */
export type RateLimitKeys = Partial<Record<Exclude<RateLimitKeyKind, 'ip'>, string>>;

const WHAT: Record<RateLimitAction, string> = {
  registration: 'passkey registrations',
  sign_in: 'sign-in attempts',
  quote: 'payment terms requested',
  confirmation_options: 'payment confirmations started',
  confirmation: 'payment confirmations',
  card_add: 'cards added',
  card_remove: 'cards removed',
  payment_history: 'payment list requests',
  offers: 'offer requests',
  offer_settings: 'offer setting changes',
};

const BY: Record<RateLimitKeyKind, string> = { ip: 'from this network address', shopper: 'for this wallet', intent: 'for this payment' };

/**
 * Counts a request against the limits of `action` (routes call it before doing anything, so a refused request
 * writes nothing but its count). Over a limit: `Retry-After` goes on the response and `429 rate_limited` is thrown.
 */
export function createRateLimiter(deps: RateLimiterDeps) {
  /** Counts one hit on each key of `action` (one statement where their windows match); the first refusal is thrown. */
  async function enforce(c: Context, action: RateLimitAction, keys: [RateLimitKeyKind, string][]): Promise<void> {
    const hits = keys.flatMap(([kind, key]) => {
      const name = `${action}.${kind}` as RateLimitName;
      const rule = deps.policy[name];
      return rule ? [{ kind, rule, bucket: `${name}:${key}` }] : [];
    });
    if (hits.length === 0) return;
    const verdicts = await hitRateLimits(deps.db, hits, deps.now());
    hits.forEach(({ kind, rule }, i) => {
      const verdict = verdicts[i];
      if (verdict.allowed) return;
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      throw new PaykeyError(
        'rate_limited',
        `Too many ${WHAT[action]} ${BY[kind]}: at most ${rule.limit} per ${describeWindow(rule.windowMs)}; try again in ${verdict.retryAfterSeconds} s`,
      );
    });
  }

  return {
    /** The client's IP address: first, before the body is read. */
    byIp: (c: Context, action: RateLimitAction) => enforce(c, action, [['ip', clientIp(c, deps.trustedProxyHops)]]),
    /**
     * The shopper and/or intent, once the session or client secret has proven them (a stranger cannot spend another's
     * budget): both counted (in one statement when their windows match), the shopper's refusal named first.
     */
    byKeys(c: Context, action: RateLimitAction, keys: RateLimitKeys): Promise<void> {
      return enforce(c, action, keyList(keys));
    },
    /**
     * The IP address and the keys `prove` establishes (reading the body, the client secret, the session — reads
     * only), counted together in one statement before the route does anything else; the IP address's refusal is named
     * first. When `prove` fails (a malformed body, an unknown client secret) the IP address alone is counted, and its
     * 429 wins over the request's own error — as if it had been counted first.
     */
    async guard<T>(c: Context, action: RateLimitAction, prove: () => Promise<{ keys: RateLimitKeys; value: T }>): Promise<T> {
      const ip: [RateLimitKeyKind, string] = ['ip', clientIp(c, deps.trustedProxyHops)];
      let proven: { keys: RateLimitKeys; value: T };
      try {
        proven = await prove();
      } catch (error) {
        await enforce(c, action, [ip]);
        throw error;
      }
      await enforce(c, action, [ip, ...keyList(proven.keys)]);
      return proven.value;
    },
  };
}

/** The keys to count besides the IP address, the shopper's first. */
function keyList(keys: RateLimitKeys): [RateLimitKeyKind, string][] {
  const counted: [RateLimitKeyKind, string][] = [];
  if (keys.shopper) counted.push(['shopper', keys.shopper]);
  if (keys.intent) counted.push(['intent', keys.intent]);
  return counted;
}

function describeWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${ms / 1000} seconds`;
}
