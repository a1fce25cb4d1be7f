import { PaykeyError } from '../errors/paykey-error.ts';

/**
 * Checks where the ceremony ran from the response's clientDataJSON before the
 * library verifies it: a cross-origin ceremony must name its top-level origin
 * and that origin must be one we allow. (`verifyRegistrationResponse` in
 * SimpleWebAuthn 14 has no `expectedTopOrigin`, and `verifyAuthenticationResponse`
 * accepts a cross-origin response without `topOrigin`; for payments we do not.)
 */
export function assertTopOriginAllowed(clientDataJSON: string, allowed: string[]): void {
  let clientData: { crossOrigin?: unknown; topOrigin?: unknown };
  try {
    clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    throw new PaykeyError('invalid_passkey_response', 'The passkey response is malformed (clientDataJSON)');
  }
  if (typeof clientData !== 'object' || clientData === null) {
    throw new PaykeyError('invalid_passkey_response', 'The passkey response is malformed (clientDataJSON)');
  }
  const { crossOrigin, topOrigin } = clientData;
  if (crossOrigin === true) {
    if (typeof topOrigin !== 'string' || !allowed.includes(topOrigin)) {
      throw new PaykeyError('origin_not_allowed', 'The passkey was used on a website this merchant does not allow');
    }
  } else if (topOrigin !== undefined) {
    throw new PaykeyError('invalid_passkey_response', 'topOrigin without crossOrigin in clientDataJSON');
  }
}
