/**
 * Meridian's own signing key (PS256): signs every API response (x-jws-signature) and is published at /jwks.
 * Kept in the data directory, so a restart keeps the same kid.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface BankSigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public key as published at /jwks. */
  publicJwk: JsonWebKey & { kid: string; use: 'sig'; alg: 'PS256' };
}

export function loadBankSigningKey(file: string): BankSigningKey {
  let privateKey: KeyObject;
  if (existsSync(file)) {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } else {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  // RFC 7638 thumbprint: the required members in lexicographic order.
  const kid = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
  return { kid, privateKey, publicJwk: { ...jwk, kid, use: 'sig', alg: 'PS256' } };
}
