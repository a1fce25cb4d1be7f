/**
 * The WebAuthn request options a shopper approves a payment with (card or bank): this origin's relying party,
 * the payment's challenge, the shopper's passkeys when the caller may know them (else none: the browser offers
 * the discoverable ones it holds), user verification required.
 */
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { toCredentialDescriptor, type StoredCredential } from './credentials.ts';
import { relyingPartyFor } from './relying-party.ts';

export function paymentApprovalOptions(
  publicOrigin: string,
  challenge: Uint8Array<ArrayBuffer>,
  credentials: StoredCredential[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: relyingPartyFor(publicOrigin).id,
    challenge,
    allowCredentials: credentials.map(toCredentialDescriptor),
    userVerification: 'required',
  });
}
