import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig, WalletDb } from '../store/database.ts';

/**
 * Client secrets are derived, not stored: `<intent id>_secret_<HMAC(key, id)>`.
 * So an idempotent replay can hand the merchant the intent's client secret
 * again while the stored response holds no secret at all. The key is one per
 * deployment (every server process on a database shares it): `PAYKEY_CLIENT_SECRET_KEY`,
 * else (SQLite) a random one in a file beside the database.
 */
export interface ClientSecrets {
  forIntent(intentId: string): string;
}

export function createClientSecrets(key: Buffer): ClientSecrets {
  if (key.length < 32) throw new TypeError(`client secret key: expected at least 32 bytes, received ${key.length}`);
  return { forIntent: (intentId) => `${intentId}_secret_${createHmac('sha256', key).update(intentId).digest('hex').slice(0, 48)}` };
}

/** The name of the key file in SQLite's data directory (beside the database file, never in it). */
export const CLIENT_SECRET_KEY_FILE = 'client-secret.key';

/**
 * The deployment's key, kept outside the database: a row anyone with read access to the database could see would
 * re-open every live checkout. `configured` (`PAYKEY_CLIENT_SECRET_KEY`) wins; else on SQLite a random key in
 * `<dataDir>/client-secret.key` (mode 0600, created by the first start); PostgreSQL, shared by several processes,
 * needs the configured key. A key an older version kept in `wallet_settings` moves to the file (SQLite) and leaves
 * the database either way.
 */
export async function loadClientSecretKey(db: WalletDb, database: DatabaseConfig, configured?: string): Promise<Buffer> {
  const legacy = await db.selectFrom('wallet_settings').select('value').where('name', '=', 'client_secret_key').executeTakeFirst();
  let key: Buffer;
  if (configured) {
    key = Buffer.from(configured, 'utf8');
  } else if (database.dataDir) {
    key = readOrCreateKeyFile(path.join(database.dataDir, CLIENT_SECRET_KEY_FILE), legacy && Buffer.from(legacy.value, 'base64url'));
  } else {
    throw new Error(
      'PAYKEY_CLIENT_SECRET_KEY: expected a key of at least 32 bytes, the same for every process on this PostgreSQL; received none ' +
        '(it is not kept in the database, where anyone who can read it could open every checkout)',
    );
  }
  if (legacy) await db.deleteFrom('wallet_settings').where('name', '=', 'client_secret_key').execute();
  return key;
}

/** The key in `file`, else `initial` (or fresh random bytes) written there first: exclusive create, so two starts agree. */
function readOrCreateKeyFile(file: string, initial: Buffer | undefined): Buffer {
  try {
    writeFileSync(file, (initial ?? randomBytes(32)).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
}
