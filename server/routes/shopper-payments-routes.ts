import { Hono } from 'hono';
import { z } from 'zod';
import type { BankDirectory } from '../adapters/registry.ts';
import type { AccountPaymentBank } from '../payments/account-payment-bank.ts';
import type { BrandLookup } from '../banks/bank-brands.ts';
import { ApiError } from '../errors/api-error.ts';
import type { Logger } from '../http/logger.ts';
import { describeIssue } from '../http/json-body.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { releaseSessionCards } from '../shoppers/card-release.ts';
import { getReceipt, listReceipts, MAX_PAYMENTS_PAGE, type ReceiptDeps } from '../shoppers/receipts.ts';
import { endSession, requireSession } from '../shoppers/sessions.ts';
import { spendingSummary } from '../shoppers/spending-summary.ts';
import type { WalletDb } from '../store/database.ts';
import type { PaymentListResponse, ReceiptResponse, SpendingSummaryResponse } from '../../widget/shopper-api.ts';

// Exported for the OpenAPI document; strict like the bodies: an unknown parameter (a typo) is a 422.
export const paymentListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_PAYMENTS_PAGE}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAYMENTS_PAGE))
    .optional()
    .meta({ description: `How many payments, 1 to ${MAX_PAYMENTS_PAGE} (default 20)` }),
  starting_after: z.string().min(1).max(100).optional().meta({ description: 'The last `paymentIntentId` of the previous page' }),
});

/** The spending summary takes no parameters (always this UTC month); one sent is a 422, not silently ignored. */
export const spendingSummaryQuery = z.strictObject({});

export interface ShopperPaymentsRoutesDeps {
  db: WalletDb;
  banks: BankDirectory;
  now: () => Date;
  logger: Logger;
  rateLimiter: RateLimiter;
  bankBrand: BrandLookup;
  accountPayments?: AccountPaymentBank;
}

/**
 * The shopper's side of their history and their session (Bearer session): the payments list across merchants,
 * one receipt, their spending this month, and "Sign out on this device".
 */
export function shopperPaymentsRoutes(deps: ShopperPaymentsRoutesDeps) {
  const api = new Hono();
  const receipts: ReceiptDeps = { db: deps.db, bankName: receiptBankNames(deps), banks: deps.banks };

  api.get('/payments', async (c) => {
    await deps.rateLimiter.byIp(c, 'payment_history');
    const { shopperId } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    await deps.rateLimiter.byKeys(c, 'payment_history', { shopper: shopperId });
    const parsed = paymentListQuery.safeParse(c.req.query());
    if (!parsed.success) throw new ApiError(422, 'invalid_request', describeIssue(parsed.error.issues[0]));
    const body: PaymentListResponse = await listReceipts(receipts, shopperId, {
      limit: parsed.data.limit,
      startingAfter: parsed.data.starting_after,
    });
    return c.json(body);
  });

  api.get('/payments/:paymentIntentId', async (c) => {
    await deps.rateLimiter.byIp(c, 'payment_history');
    const { shopperId } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    await deps.rateLimiter.byKeys(c, 'payment_history', { shopper: shopperId });
    const body: ReceiptResponse = { receipt: await getReceipt(receipts, c.req.param('paymentIntentId'), shopperId) };
    return c.json(body);
  });

  // Computed from the shopper's own records on each request; nothing is stored or sent anywhere.
  api.get('/spending-summary', async (c) => {
    await deps.rateLimiter.byIp(c, 'payment_history');
    const { shopperId } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    await deps.rateLimiter.byKeys(c, 'payment_history', { shopper: shopperId });
    const parsed = spendingSummaryQuery.safeParse(c.req.query());
    if (!parsed.success) throw new ApiError(422, 'invalid_request', describeIssue(parsed.error.issues[0]));
    const body: SpendingSummaryResponse = await spendingSummary(deps.db, shopperId, deps.now());
    return c.json(body);
  });

  api.delete('/sessions/current', async (c) => {
    const { token } = await requireSession(deps.db, c.req.header('authorization'), deps.now());
    const { shopperId, sessionHash } = await endSession(deps.db, token, deps.now());
    // The session's one-time cards leave with it; a bank that is down leaves their release to housekeeping.
    await releaseSessionCards(deps, shopperId, sessionHash);
    return c.body(null, 204);
  });

  return api;
}

/** A bank's name for receipts: a card bank's from its (checked, cached) brand, the pay-by-bank bank's from its own. */
export function receiptBankNames(deps: Pick<ShopperPaymentsRoutesDeps, 'banks' | 'bankBrand' | 'accountPayments'>): ReceiptDeps['bankName'] {
  let payByBankName: Promise<{ en: string; 'zh-CN'?: string }> | undefined;
  return async (bankId) => {
    if (deps.banks.has(bankId)) {
      return (await deps.bankBrand(deps.banks.get(bankId)).catch(() => deps.bankBrand.standIn(bankId))).name;
    }
    const payByBank = deps.accountPayments?.adapter;
    if (payByBank?.id === bankId) {
      payByBankName ??= payByBank.brand().then((brand) => brand.name);
      payByBankName.catch(() => (payByBankName = undefined));
      return payByBankName.catch(() => ({ en: bankId }));
    }
    // A bank no longer configured: its id is all the wallet still knows of it.
    return { en: bankId };
  };
}
