import {
  generateAuthenticationOptions,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { PaymentIntent } from '../payments/payment-intents.ts';
import { createSession } from '../shoppers/sessions.ts';
import { findShopper } from '../shoppers/shoppers.ts';
import type { WalletDb } from '../store/database.ts';
import { consumeChallenge, issueChallenge } from './challenges.ts';
import { findCredential } from './credentials.ts';
import type { RelyingParty } from './relying-party.ts';
import { verifyAssertion } from './verify-assertion.ts';

export interface SignInContext {
  db: WalletDb;
  rp: RelyingParty;
  topOrigins: string[];
  now: Date;
}

/** Options for a username-less sign-in: empty allowCredentials, the browser offers discoverable passkeys. */
export async function startPasskeySignIn(
  ctx: SignInContext,
  intent: PaymentIntent,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const challenge = await issueChallenge(ctx.db, { purpose: 'sign_in', intentId: intent.id }, ctx.now);
  const options = await generateAuthenticationOptions({
    rpID: ctx.rp.id,
    challenge: challenge.bytes,
    allowCredentials: [],
    userVerification: 'required',
  });
  return { challengeId: challenge.id, options };
}

export async function finishPasskeySignIn(
  ctx: SignInContext,
  intent: PaymentIntent,
  challengeId: string,
  response: AuthenticationResponseJSON,
): Promise<{ shopperId: string; email: string; session: { token: string; expiresAt: string } }> {
  const challenge = await consumeChallenge(ctx.db, { id: challengeId, purpose: 'sign_in', intentId: intent.id }, ctx.now);
  const credential = await findCredential(ctx.db, response.id);
  if (!credential) throw new PaykeyError('unknown_credential', 'This passkey is not registered with Paykey');
  const shopper = (await findShopper(ctx.db, credential.shopper_id))!;
  // A discoverable credential returns the user handle; it must be the one we created it with.
  if (response.response.userHandle !== undefined && response.response.userHandle !== shopper.user_handle) {
    throw new PaykeyError('credential_mismatch', 'This passkey belongs to another account');
  }
  await verifyAssertion(ctx.db, {
    response,
    challenge: challenge.challenge,
    credential,
    rp: ctx.rp,
    topOrigins: ctx.topOrigins,
    now: ctx.now,
  });
  const session = await createSession(ctx.db, shopper.id, ctx.now);
  return { shopperId: shopper.id, email: shopper.email, session };
}
