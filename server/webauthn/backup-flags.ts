import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { decodeAttestationObject } from '@simplewebauthn/server/helpers';
import { PaykeyError } from '../errors/paykey-error.ts';

/** Authenticator data (WebAuthn §6.1): 32 bytes of rpIdHash, then the flags byte. */
const FLAGS_OFFSET = 32;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;

/**
 * Refuses authenticator data that says "backed up" (BS) about a credential
 * that cannot be backed up (BE clear): WebAuthn §6.1 makes that combination
 * invalid, so no genuine authenticator sends it. Checked here, before the
 * library, so the rule holds whatever version of it we run. Data too short to
 * hold flags is left to the verifier, which refuses it.
 */
export function assertBackupFlagsValid(authenticatorData: Uint8Array): void {
  if (authenticatorData.length <= FLAGS_OFFSET) return;
  const flags = authenticatorData[FLAGS_OFFSET];
  if (flags & FLAG_BS && !(flags & FLAG_BE)) {
    throw new PaykeyError('invalid_passkey_response', 'The passkey response is invalid: backed up (BS) without being backup eligible (BE)');
  }
}

/** For an assertion (sign-in, payment confirmation). */
export function assertAssertionBackupFlags(response: AuthenticationResponseJSON): void {
  const data = response.response?.authenticatorData;
  if (typeof data === 'string') assertBackupFlagsValid(Buffer.from(data, 'base64url'));
}

/** For a registration: the flags live in the attestation object's authData. An undecodable object is left to the verifier. */
export function assertRegistrationBackupFlags(response: RegistrationResponseJSON): void {
  let authData: Uint8Array | undefined;
  try {
    authData = decodeAttestationObject(new Uint8Array(Buffer.from(response.response.attestationObject, 'base64url'))).get('authData');
  } catch {
    return;
  }
  if (authData instanceof Uint8Array) assertBackupFlagsValid(authData);
}
