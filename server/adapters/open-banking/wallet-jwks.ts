/** The wallet's JWKS document: the public halves of its signing keys (during a rotation, old and new). */
import type { PublicSigningJwk, WalletSigningKey } from './wallet-signing-key.ts';

export interface WalletJwks {
  keys: PublicSigningJwk[];
}

export function walletJwks(keys: readonly WalletSigningKey[]): WalletJwks {
  return { keys: keys.map((key) => ({ ...key.publicJwk })) };
}
