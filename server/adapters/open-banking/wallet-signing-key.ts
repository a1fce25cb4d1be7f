/**
 * The wallet's own Open Banking signing key (RSA 2048, PS256). It signs the wallet's client assertions
 * (private_key_jwt), its request objects and every request body (x-jws-signature); its public half is published
 * at the wallet's `/.well-known/jwks.json` (see wallet-jwks-app.ts), where the bank fetches it.
 *
 * Generated once and persisted as a PKCS#8 PEM (mode 0600), by default `$PAYKEY_DATA_DIR/open-banking-signing-key.pem`;
 * or given as a PEM (e.g. from a secret store). The `kid` is the key's RFC 7638 thumbprint, so it stays the same
 * across restarts and changes with the key. The private key is never logged or put in an error message.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BankConfigurationError } from '../bank-adapter.ts';

/** The file name under the wallet's data directory. */
export const WALLET_SIGNING_KEY_FILE = 'open-banking-signing-key.pem';

export interface PublicSigningJwk extends JsonWebKey {
  kty: 'RSA';
  kid: string;
  use: 'sig';
  alg: 'PS256';
  n: string;
  e: string;
}

export interface WalletSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public key as published in the wallet's JWKS. */
  readonly publicJwk: PublicSigningJwk;
}

/** A key from a PEM (PKCS#8 or PKCS#1): an RSA key of at least 2048 bits, else `BankConfigurationError`. */
export function walletSigningKeyFromPem(pem: string): WalletSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    // node's message may quote the input: say what was wrong without it.
    throw new BankConfigurationError('open banking signing key: expected an RSA private key in PEM, received text node:crypto cannot read as a private key');
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (privateKey.asymmetricKeyType !== 'rsa' || bits < 2048) {
    throw new BankConfigurationError(
      `open banking signing key: expected an RSA key of at least 2048 bits (PS256), received ${privateKey.asymmetricKeyType ?? 'an unknown'} key${bits ? ` of ${bits} bits` : ''}`,
    );
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
  return { kid, privateKey, publicJwk: { kty: 'RSA', n: jwk.n!, e: jwk.e!, kid, use: 'sig', alg: 'PS256' } };
}

/** Reads the key at `file`, or generates one there (RSA 2048, PKCS#8 PEM, mode 0600) the first time. */
export function loadWalletSigningKey(file: string): WalletSigningKey {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    mkdirSync(dirname(file), { recursive: true });
    // flag wx: two processes starting at once never overwrite each other's key; the loser reads the winner's.
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BankConfigurationError(`open banking signing key: expected to create ${file}, received ${(error as NodeJS.ErrnoException).code ?? 'an error'}`);
      }
    }
  }
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BankConfigurationError(`open banking signing key: expected to read ${file}, received ${(error as NodeJS.ErrnoException).code ?? 'an error'}`);
  }
  return walletSigningKeyFromPem(pem);
}
