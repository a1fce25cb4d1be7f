/**
 * A small Hono app serving the wallet's JWKS at `GET /.well-known/jwks.json`, where banks fetch the keys that
 * verify the wallet's client assertions, request objects and request signatures. Mount it at the root of
 * the wallet server (`app.route('/', createWalletJwksApp([key]))`); it holds public keys only.
 */
import { Hono } from 'hono';
import { walletJwks } from './wallet-jwks.ts';
import type { WalletSigningKey } from './wallet-signing-key.ts';

export const WALLET_JWKS_PATH = '/.well-known/jwks.json';

export function createWalletJwksApp(keys: readonly WalletSigningKey[]): Hono {
  const body = JSON.stringify(walletJwks(keys));
  return new Hono().get(WALLET_JWKS_PATH, (c) =>
    c.body(body, 200, {
      'content-type': 'application/jwk-set+json',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    }),
  );
}
