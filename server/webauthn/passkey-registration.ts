import { randomBytes } from 'node:crypto';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { PaymentIntent } from '../payments/payment-intents.ts';
import { createSession } from '../shoppers/sessions.ts';
import { createShopper } from '../shoppers/shoppers.ts';
import type { WalletDb } from '../store/database.ts';
import { consumeChallenge, issueChallenge } from './challenges.ts';
import { addCredential } from './credentials.ts';
import { assertUsablePublicKey } from './assert-usable-public-key.ts';
import { assertRegistrationBackupFlags } from './backup-flags.ts';
import type { RelyingParty } from './relying-party.ts';
import { assertTopOriginAllowed } from './top-origin.ts';
import { messageOf } from './verify-assertion.ts';

/** ES256, EdDSA, RS256: what platform authenticators and security keys use. */
const SUPPORTED_ALGORITHMS = [-7, -8, -257];

export interface RegistrationContext {
  db: WalletDb;
  rp: RelyingParty;
  topOrigins: string[];
  now: Date;
}

/**
 * Options for creating a new shopper's passkey: discoverable, user verification required. The answer is the same
 * whatever the email (no lookup): an account is found by its passkey, and the email is an unverified label.
 */
export async function startPasskeyRegistration(
  ctx: RegistrationContext,
  intent: PaymentIntent,
  email: string,
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const userHandle = new Uint8Array(randomBytes(32));
  const challenge = await issueChallenge(
    ctx.db,
    { purpose: 'registration', intentId: intent.id, email, userHandle: Buffer.from(userHandle).toString('base64url') },
    ctx.now,
  );
  const options = await generateRegistrationOptions({
    rpName: ctx.rp.name,
    rpID: ctx.rp.id,
    userName: email,
    userDisplayName: email,
    userID: userHandle,
    challenge: challenge.bytes,
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  return { challengeId: challenge.id, options };
}

/** Verifies the new passkey, creates the shopper and signs them in. */
export async function finishPasskeyRegistration(
  ctx: RegistrationContext,
  intent: PaymentIntent,
  challengeId: string,
  response: RegistrationResponseJSON,
): Promise<{ shopperId: string; email: string; session: { token: string; expiresAt: string } }> {
  const challenge = await consumeChallenge(ctx.db, { id: challengeId, purpose: 'registration', intentId: intent.id }, ctx.now);
  const email = challenge.email!;
  assertTopOriginAllowed(response.response.clientDataJSON, ctx.topOrigins);
  assertRegistrationBackupFlags(response);

  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: ctx.rp.origin,
      expectedRPID: ctx.rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
  } catch (error) {
    throw new PaykeyError('invalid_passkey_response', `The passkey response was rejected: ${messageOf(error)}`, { cause: error });
  }
  if (!verification.verified || !verification.registrationInfo.userVerified) {
    throw new PaykeyError('passkey_verification_failed', 'The passkey could not be verified');
  }
  const { credential } = verification.registrationInfo;
  assertUsablePublicKey(credential.publicKey);

  // Shopper, passkey and session are one write: a failure leaves no account behind.
  const session = await ctx.db.transaction().execute(async (trx) => {
    const shopper = await createShopper(trx, { email, userHandle: challenge.user_handle!, now: ctx.now });
    await addCredential(trx, {
      id: credential.id,
      shopperId: shopper.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      now: ctx.now,
    });
    return { shopperId: shopper.id, ...(await createSession(trx, shopper.id, ctx.now)) };
  });
  return { shopperId: session.shopperId, email, session: { token: session.token, expiresAt: session.expiresAt } };
}
