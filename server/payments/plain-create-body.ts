import { isKnownCurrency, MAX_AMOUNT } from './money.ts';

/** `POST /v1/payment_intents`'s body as its schema (`createPaymentIntentBody`, routes/merchant-api.ts) outputs it. */
export interface CreateIntentBody {
  amount: number;
  currency: string;
  description?: string | null;
  reference?: string | null;
}

/** The text members the schema allows, and the longest each may be: the schema's own limits (merchant-api.ts). */
export const CREATE_TEXT_LIMITS = { description: 1000, reference: 200 } as const;
const TEXT_LIMITS: Readonly<Record<string, number>> = CREATE_TEXT_LIMITS;

/**
 * The body when it is plainly valid (what nearly every merchant sends), checked by hand; `undefined` for anything
 * else, which the schema then parses and whose first issue becomes the answer. Only a subset of what the schema
 * accepts passes here, so the answers are the schema's: a malformed body never gets past this check, and one that
 * does gets the same output the schema would give (zod's parse of this object was about 5 % of the wallet's time per
 * intent in a CPU profile, issue 7). test/server/plain-create-body.test.ts holds the two to agreeing.
 */
export function plainCreateBody(raw: unknown): CreateIntentBody | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  const body = raw as Record<string, unknown>;
  for (const name in body) {
    if (!Object.hasOwn(body, name)) return undefined;
    if (name === 'amount' || name === 'currency') continue;
    if (!Object.hasOwn(TEXT_LIMITS, name)) return undefined;
    const limit = TEXT_LIMITS[name]!;
    const text = body[name];
    if (text !== null && text !== undefined && (typeof text !== 'string' || text.length > limit)) return undefined;
  }
  const { amount, currency } = body;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) return undefined;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency) || !isKnownCurrency(currency)) return undefined;
  // As the schema outputs it: the members that were sent, and only those.
  const parsed: CreateIntentBody = { amount, currency };
  if (Object.hasOwn(body, 'description')) parsed.description = body.description as string | null | undefined;
  if (Object.hasOwn(body, 'reference')) parsed.reference = body.reference as string | null | undefined;
  return parsed;
}
