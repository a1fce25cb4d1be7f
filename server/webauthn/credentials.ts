import type { AuthenticatorTransport, WebAuthnCredential } from '@simplewebauthn/server';
import { PaykeyError } from '../errors/paykey-error.ts';
import type { Selectable } from 'kysely';
import type { WalletDb } from '../store/database.ts';
import type { CredentialsTable } from '../store/schema.ts';
import { reusableQuery } from '../store/reusable-query.ts';

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
 * was used. The assertion was already checked to be ahead of the counter read
 * with the credential (a clone one step behind is refused there). Here the
 * counter only moves forward, in one statement: two genuine assertions of one
 * passkey verified at the same time (two tabs, a double-submitted Pay) both
 * stand, and whichever lands last cannot pull the stored counter back for a
 * clone to reuse. A lost race is therefore never mistaken for a clone: what
 * refuses the second of two confirmations of one payment is the payment's
 * state. An authenticator without a counter always says 0.
 */
export async function recordCredentialUse(db: WalletDb, id: string, counter: number, now: Date): Promise<void> {
  const result = await useCredential.run(db, { id, counter, now: now.toISOString() });
  if (!result.numAffectedRows) {
    throw new PaykeyError('passkey_verification_failed', 'This passkey was removed while it was being verified');
  }
}

// Every passkey confirmation runs it: built and compiled once (reusable-query.ts).
const useCredential = reusableQuery(['id', 'counter', 'now'] as const, (db, p) =>
  db
    .updateTable('credentials')
    .set((eb) => ({ counter: eb.case().when('counter', '<', p.counter as never).then(eb.val(p.counter as never)).else(eb.ref('counter')).end(), last_used_at: p.now }))
    .where('id', '=', p.id),
);

export async function findCredential(db: WalletDb, id: string): Promise<StoredCredential | undefined> {
  return credentialById.first(db, { id });
}

// Read by every passkey confirmation: built and compiled once (reusable-query.ts).
const credentialById = reusableQuery(['id'] as const, (db, p) => db.selectFrom('credentials').selectAll().where('id', '=', p.id));

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
