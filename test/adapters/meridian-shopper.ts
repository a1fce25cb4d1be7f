/**
 * The shopper at Meridian's consent page, driven with fetch as a browser would: GET the authorization URL (the
 * page), POST Approve (with an account to pay from) or Reject, and read the 303's Location — the wallet's
 * redirect URI with code/state/iss or error — into the callback the adapter completes.
 */
import type { AuthorizationCallback } from '../../server/adapters/open-banking/account-payment-adapter.ts';

export const SHOPPER_CURRENT = '04000412345678';
export const SHOPPER_SAVER = '04000423456789';
export const MERCHANT_ACCOUNT = '04000487654321';

export async function decideAtBank(authorizationUrl: string, decision: 'approve' | 'reject', account = SHOPPER_CURRENT): Promise<AuthorizationCallback> {
  const page = await fetch(authorizationUrl);
  const html = await page.text();
  const authorizationId = /name="authorization_id" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !authorizationId) throw new Error(`consent page: expected 200 with an authorization_id, received ${page.status}: ${html.slice(0, 300)}`);
  const form: Record<string, string> = { authorization_id: authorizationId, decision };
  if (decision === 'approve') form.account = account;
  const answer = await fetch(new URL('/authorize', authorizationUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 303 || !location) throw new Error(`decision: expected a 303 to the redirect URI, received ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
  return Object.fromEntries(new URL(location).searchParams) as AuthorizationCallback;
}
