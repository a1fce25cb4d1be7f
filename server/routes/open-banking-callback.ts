import { Hono } from 'hono';
import type { AuthorizationCallback } from '../adapters/open-banking/account-payment-adapter.ts';
import { ApiError } from '../errors/api-error.ts';
import { PaykeyError } from '../errors/paykey-error.ts';
import { completeAccountPayment, type CompleteAccountPaymentDeps } from '../payments/complete-account-payment.ts';
import { lastErrorOf } from '../payments/payment-intents.ts';

/** Where the bank sends the shopper back (registered with the bank as the wallet's redirect URI). */
export const OPEN_BANKING_CALLBACK_PATH = '/ob/callback';
const NOTIFY_SCRIPT_PATH = '/ob/callback.js';

/** The message the callback page posts to the wallet frame that opened the bank's window (widget/frame/pay-by-bank). */
export const BANK_RETURN_MESSAGE = 'paykey-bank-return';

// The page's only script: tell the wallet frame that opened this window (its exact origin, ours), then close.
const NOTIFY_SCRIPT = `const d = document.getElementById('result').dataset;
if (window.opener) window.opener.postMessage({ type: '${BANK_RETURN_MESSAGE}', paymentIntentId: d.intent, status: d.status }, location.origin);
setTimeout(() => window.close(), 400);
`;

const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description'] as const;

/**
 * GET /ob/callback?code&state&iss (or error=access_denied&state): completes the payment by bank (complete-account-payment.ts)
 * and answers a tiny page under a strict CSP that tells the wallet frame and closes itself. A return naming no
 * payment of ours is 400 `invalid_request` and changes nothing.
 */
export function openBankingCallback(deps: CompleteAccountPaymentDeps): Hono {
  const app = new Hono();
  app.get(NOTIFY_SCRIPT_PATH, (c) =>
    c.body(NOTIFY_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }),
  );
  app.get(OPEN_BANKING_CALLBACK_PATH, async (c) => {
    const callback: AuthorizationCallback = {};
    for (const name of CALLBACK_PARAMS) {
      const value = c.req.query(name);
      if (typeof value === 'string') callback[name] = value.slice(0, 2000);
    }
    const intent = await completeAccountPayment(deps, callback).catch((error: unknown) => {
      // A return we cannot use is a malformed request (400), not a body that failed validation (422).
      if (error instanceof PaykeyError && error.code === 'invalid_request') throw new ApiError(400, 'invalid_request', error.message);
      throw error;
    });
    const error = lastErrorOf(intent);
    const message =
      intent.status === 'succeeded' ? 'Payment approved. You can close this window.'
        : intent.status === 'failed' ? `Payment not made: ${error?.message ?? 'the bank refused it'}`
          : 'Your bank is confirming the payment. You can close this window.';
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Paykey</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<p id="result" data-intent="${escapeHtml(intent.id)}" data-status="${escapeHtml(intent.status)}">${escapeHtml(message)}</p>
<script src="${NOTIFY_SCRIPT_PATH}"></script></body></html>`;
    return c.html(html, 200, {
      'content-security-policy': "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
  });
  return app;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
