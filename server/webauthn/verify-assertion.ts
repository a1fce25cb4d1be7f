import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { PaykeyError } from '../errors/paykey-error.ts';
import { findShopper } from '../shoppers/shoppers.ts';
import type { WalletDb } from '../store/database.ts';
import { assertAssertionBackupFlags } from './backup-flags.ts';
import { recordCredentialUse, toWebAuthnCredential, type StoredCredential } from './credentials.ts';
import type { RelyingParty } from './relying-party.ts';
import { assertTopOriginAllowed } from './top-origin.ts';

export interface AssertionCheck {
  response: AuthenticationResponseJSON;
  /** base64url of the consumed challenge's bytes. */
  challenge: string;
  credential: StoredCredential;
  rp: RelyingParty;
  topOrigins: string[];
  now: Date;
  /**
   * false: the caller stores the new sign counter itself, inside the transaction it writes next (a payment's attempt),
   * and on every path where that transaction does not commit. Default true: stored here.
   */
  recordUse?: boolean;
}

/** A verified assertion: the credential's new sign counter. */
export interface VerifiedAssertion {
  credentialId: string;
  newCounter: number;
}

/**
 * Verifies a passkey assertion against a stored credential — origin = the
 * wallet, topOrigin = one the merchant registered, rpIdHash, challenge, UP and
 * UV set, BS never without BE, a counter ahead of the stored one — and stores
 * the new sign counter. Throws `origin_not_allowed` (403) for a foreign top
 * origin, `invalid_passkey_response` (400) for a malformed or mismatching
 * response, `passkey_verification_failed` (401) when the signature is wrong.
 * The caller has already consumed the challenge.
 */
export async function verifyAssertion(db: WalletDb, check: AssertionCheck): Promise<VerifiedAssertion> {
  assertTopOriginAllowed(check.response.response?.clientDataJSON, check.topOrigins);
  assertAssertionBackupFlags(check.response);
  await assertUserHandleOfOwner(db, check);
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response: check.response,
      expectedChallenge: check.challenge,
      expectedOrigin: check.rp.origin,
      expectedRPID: check.rp.id,
      expectedTopOrigin: check.topOrigins,
      credential: toWebAuthnCredential(check.credential),
      requireUserVerification: true,
    });
  } catch (error) {
    throw new PaykeyError('invalid_passkey_response', `The passkey response was rejected: ${messageOf(error)}`, { cause: error });
  }
  if (!verification.verified || !verification.authenticationInfo.userVerified) {
    throw new PaykeyError('passkey_verification_failed', 'The passkey could not be verified');
  }
  const verified = { credentialId: check.credential.id, newCounter: verification.authenticationInfo.newCounter };
  if (check.recordUse !== false) await recordCredentialUse(db, verified.credentialId, verified.newCounter, check.now);
  return verified;
}

/**
 * W3C WebAuthn §7.2 step 6: a user handle in the response must be the one of
 * the account that owns the credential. It is not signed, so a genuine
 * signature does not vouch for it; a mismatch is someone else's account.
 */
async function assertUserHandleOfOwner(db: WalletDb, check: AssertionCheck): Promise<void> {
  const userHandle = check.response.response?.userHandle;
  if (userHandle === undefined) return;
  const owner = await findShopper(db, check.credential.shopper_id);
  if (!owner || owner.user_handle !== userHandle) {
    throw new PaykeyError('credential_mismatch', 'This passkey belongs to another account');
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
