import type { AuthenticatorTransport, WebAuthnCredential } from '@simplewebauthn/server';
import type { Selectable } from 'kysely';
import type { WalletDb } from '../store/database.ts';
import type { CredentialsTable } from '../store/schema.ts';

export type StoredCredential = Selectable<CredentialsTable>;

export async function findCredential(db: WalletDb, id: string): Promise<StoredCredential | undefined> {
  return db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function shopperCredentials(db: WalletDb, shopperId: string): Promise<StoredCredential[]> {
  return db.selectFrom('credentials').selectAll().where('shopper_id', '=', shopperId).orderBy('created_at').execute();
}

export function toWebAuthnCredential(row: StoredCredential): WebAuthnCredential {
  return {
    id: row.id,
    publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64url')),
    counter: Number(row.counter),
    transports: transportsOf(row),
  };
}

/** For `allowCredentials`: lets the browser go straight to the right authenticator. */
export function toCredentialDescriptor(row: StoredCredential): { id: string; transports?: AuthenticatorTransport[] } {
  const transports = transportsOf(row);
  return transports.length > 0 ? { id: row.id, transports } : { id: row.id };
}

function transportsOf(row: StoredCredential): AuthenticatorTransport[] {
  return JSON.parse(row.transports) as AuthenticatorTransport[];
}
