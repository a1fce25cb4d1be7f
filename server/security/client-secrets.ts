import { createHmac, randomBytes } from 'node:crypto';
import type { WalletDb } from '../store/database.ts';

/**
 * Client secrets are derived, not stored: `<intent id>_secret_<HMAC(key, id)>`.
 * So an idempotent replay can hand the merchant the intent's client secret
 * again while the stored response holds no secret at all. The key is one per
 * deployment (every server process on a database shares it): `PAYKEY_CLIENT_SECRET_KEY`,
 * else a random one the database keeps.
 */
export interface ClientSecrets {
  forIntent(intentId: string): string;
}

export function createClientSecrets(key: Buffer): ClientSecrets {
  if (key.length < 32) throw new TypeError(`client secret key: expected at least 32 bytes, received ${key.length}`);
  return { forIntent: (intentId) => `${intentId}_secret_${createHmac('sha256', key).update(intentId).digest('hex').slice(0, 48)}` };
}

/** The deployment's key: the configured one, or the one stored in the database (created by whichever process starts first). */
export async function loadClientSecretKey(db: WalletDb, configured?: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  await db
    .insertInto('wallet_settings')
    .values({ name: 'client_secret_key', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('wallet_settings').select('value').where('name', '=', 'client_secret_key').executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}
