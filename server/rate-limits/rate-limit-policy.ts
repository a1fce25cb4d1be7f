/**
 * What is rate limited, by which key, and how much. Every limit is "at most `limit` hits per `windowMs`" on a
 * sliding window, counted in the database (so it holds across server processes); each has an environment
 * variable (`PAYKEY_RATE_LIMIT_<ACTION>_<KEY>`, see read-env-config.ts) and a `rateLimits` option.
 */

/**
 * The routes a limit guards: a passkey ceremony (options and verify), a payment's terms (quote), a payment challenge,
 * a confirmation, a card, the payment history, a payment's bank offers, the shopper's offer switches.
 */
export type RateLimitAction =
  | 'registration'
  | 'sign_in'
  | 'quote'
  | 'confirmation_options'
  | 'confirmation'
  | 'card_add'
  | 'card_remove'
  | 'payment_history'
  | 'offers'
  | 'offer_settings';

/** Whose hits are counted together: the client's IP address, the signed-in shopper, or the payment intent. */
export type RateLimitKeyKind = 'ip' | 'shopper' | 'intent';


export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** A rule, or `'off'` (nothing counted). */
export type RateLimitSetting = RateLimitRule | 'off';

export type RateLimitPolicy = Partial<Record<RateLimitName, RateLimitRule>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Defaults: roomy for a real shopper (a registration is two requests, a payment two more, a retry or two on top)
 * and for many shoppers behind one NAT, far below what card testing needs (15,470 cards a minute, 100 accounts
 * per client secret, 3,000 challenges in 21 seconds were seen).
 */
export const DEFAULT_RATE_LIMITS = {
  // Passkey creation: POST /registrations/options and /registrations.
  'registration.ip': { limit: 20, windowMs: 10 * MINUTE },
  'registration.intent': { limit: 10, windowMs: 10 * MINUTE },
  // Sign-in: POST /sessions/options and /sessions.
  'sign_in.ip': { limit: 60, windowMs: 10 * MINUTE },
  'sign_in.intent': { limit: 20, windowMs: 10 * MINUTE },
  // A payment's terms: POST /quotes, one per card the shopper picks plus a refresh before each expires (10 min, or
  // the bank's FX quote); a card in another currency asks its bank for a rate, so this bounds those calls too.
  'quote.ip': { limit: 60, windowMs: MINUTE },
  'quote.intent': { limit: 30, windowMs: 10 * MINUTE },
  'quote.shopper': { limit: 30, windowMs: 10 * MINUTE },
  // A payment challenge: POST /confirmations/options (the shopper key when signed in).
  'confirmation_options.ip': { limit: 30, windowMs: MINUTE },
  'confirmation_options.intent': { limit: 20, windowMs: 10 * MINUTE },
  'confirmation_options.shopper': { limit: 20, windowMs: 10 * MINUTE },
  // Paying: POST /confirmations (the shopper key when signed in).
  'confirmation.ip': { limit: 30, windowMs: MINUTE },
  'confirmation.intent': { limit: 10, windowMs: 10 * MINUTE },
  'confirmation.shopper': { limit: 20, windowMs: 10 * MINUTE },
  // Saving a card: POST /cards (signed in, no intent).
  'card_add.ip': { limit: 30, windowMs: HOUR },
  'card_add.shopper': { limit: 10, windowMs: HOUR },
  // Removing a card: DELETE /cards/:id (each one a call to the bank).
  'card_remove.ip': { limit: 60, windowMs: 10 * MINUTE },
  'card_remove.shopper': { limit: 30, windowMs: 10 * MINUTE },
  // The payments list and receipts: GET /payments, /payments/:id (a page is up to 100 receipts read).
  'payment_history.ip': { limit: 120, windowMs: MINUTE },
  'payment_history.shopper': { limit: 60, windowMs: MINUTE },
  // A payment's bank offers: POST /offers, once the cards are known and again after each switch change; each asks
  // every bank of the shopper's cards, so this bounds those calls too.
  'offers.ip': { limit: 60, windowMs: MINUTE },
  'offers.intent': { limit: 30, windowMs: 10 * MINUTE },
  'offers.shopper': { limit: 30, windowMs: 10 * MINUTE },
  // The shopper's offer switches: PUT /offer-settings (turning personalised offers on or off tells every bank).
  'offer_settings.ip': { limit: 30, windowMs: MINUTE },
  'offer_settings.shopper': { limit: 30, windowMs: 10 * MINUTE },
} satisfies Partial<Record<`${RateLimitAction}.${RateLimitKeyKind}`, RateLimitRule>>;

/** `<action>.<key kind>`, e.g. `card_add.shopper`: the limits there are (no shopper before sign-in, no intent for a card). */
export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;

export const RATE_LIMIT_NAMES = Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[];

/** The defaults with `overrides` applied; `'off'` rules are left out. */
export function resolveRateLimits(overrides: Partial<Record<RateLimitName, RateLimitSetting>> = {}): RateLimitPolicy {
  const policy: RateLimitPolicy = {};
  for (const name of RATE_LIMIT_NAMES) {
    const setting = overrides[name] ?? DEFAULT_RATE_LIMITS[name];
    if (setting === 'off') continue;
    if (!Number.isSafeInteger(setting.limit) || setting.limit < 1 || !Number.isSafeInteger(setting.windowMs) || setting.windowMs < 1000) {
      throw new TypeError(`rate limit ${name}: expected a whole limit ≥ 1 and a window of at least 1000 ms, received ${JSON.stringify(setting)}`);
    }
    policy[name] = setting;
  }
  return policy;
}

const UNIT_MS = { s: 1000, m: MINUTE, h: HOUR } as const;

/** `"30/1m"` (30 per minute), `"10/1h"`, `"20/90s"`, or `"off"`. */
export function parseRateLimitSetting(text: string): RateLimitSetting {
  const value = text.trim().toLowerCase();
  if (value === 'off') return 'off';
  const match = /^(\d+)\s*\/\s*(\d+)\s*([smh])$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS] < 1000) {
    throw new Error(`expected "<hits>/<window>" such as "30/1m", "10/1h" or "20/90s" (at least 1 hit, a window of at least 1s), or "off"; received ${JSON.stringify(text)}`);
  }
  return { limit: Number(match[1]), windowMs: Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS] };
}

/** `PAYKEY_RATE_LIMIT_CARD_ADD_SHOPPER` for `card_add.shopper`. */
export function rateLimitEnvName(name: RateLimitName): string {
  return `PAYKEY_RATE_LIMIT_${name.replace('.', '_').toUpperCase()}`;
}
