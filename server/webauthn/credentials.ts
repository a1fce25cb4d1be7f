import type { AuthenticatorTransport, WebAuthnCredential } from '@simplewebauthn/server';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { Selectable } from 'kysely';
import type { WalletDb } from '../store/database.ts';
import type { CredentialsTable } from '../store/schema.ts';

/** This module owns `credentials`: the shoppers' passkeys. */
export type StoredCredential = Selectable<CredentialsTable>;

/** Stores a shopper's new passkey (inside the caller's transaction); a credential id is registered once. */
export async function addCredential(
  db: WalletDb,
  input: { id: string; shopperId: string; publicKey: Uint8Array; counter: number; transports: string[]; now: Date },
): Promise<void> {
  if (await findCredential(db, input.id)) throw new PaykeyError('credential_exists', 'This passkey is already registered');
  await db
    .insertInto('credentials')
    .values({
      id: input.id,
      shopper_id: input.shopperId,
      public_key: Buffer.from(input.publicKey).toString('base64url'),
      counter: input.counter,
      transports: JSON.stringify(input.transports),
      created_at: input.now.toISOString(),
      last_used_at: null,
    })
    .execute();
}

/**
 * After a verified assertion: the authenticator's new sign counter and when it
 * was used. The counter only moves forward, checked in the same statement that
 * stores it (two assertions racing cannot leave it behind, for a clone to
 * reuse); an authenticator without a counter always says 0.
 */
export async function recordCredentialUse(db: WalletDb, id: string, counter: number, now: Date): Promise<void> {
  const result = await db
    .updateTable('credentials')
    .set({ counter, last_used_at: now.toISOString() })
    .where('id', '=', id)
    .where((eb) => (counter === 0 ? eb('counter', '=', 0) : eb('counter', '<', counter)))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new PaykeyError('passkey_verification_failed', 'This passkey signed with a counter that is not ahead of the last one: it may have been cloned');
  }
}

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
