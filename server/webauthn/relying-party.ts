/**
 * Who we are to WebAuthn: the wallet origin. Passkeys are scoped to its
 * hostname (rpID), so every merchant embedding the frame shares one passkey
 * per shopper.
 */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingPartyFor(publicOrigin: string): RelyingParty {
  const url = new URL(publicOrigin);
  return { id: url.hostname, name: 'Paykey', origin: url.origin };
}

/**
 * Top-level pages a ceremony may run under: the merchant's allowed embedding
 * origins (the frame is a cross-origin iframe there), plus the wallet itself
 * for a frame opened directly.
 */
export function expectedTopOrigins(merchantOrigins: string[], rp: RelyingParty): string[] {
  return [...new Set([...merchantOrigins, rp.origin])];
}
