import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { walkingSkeleton } from './0001-walking-skeleton.ts';
import { oneActiveCardPerToken } from './0002-one-active-card-per-token.ts';
import { paymentEngine } from './0003-payment-engine.ts';
import { rateLimitsAndUnverifiedEmails } from './0004-rate-limits-and-unverified-emails.ts';
import { payByBank } from './0005-pay-by-bank.ts';
import { paymentTerms } from './0007-payment-terms.ts';
import { oneTimeCards } from './0006-one-time-cards.ts';
import { bankOffers } from './0008-bank-offers.ts';
import { housekeepingIndexes } from './0009-housekeeping-indexes.ts';
import { openChallengeIndexes } from './0010-open-challenge-indexes.ts';

/**
 * Schema migrations, oldest first; one set for SQLite and PostgreSQL. Append new
 * ones; never edit a shipped one (databases remember which ran by name).
 */
export const migrations: Record<string, Migration> = {
  '0001_walking_skeleton': walkingSkeleton,
  '0002_one_active_card_per_token': oneActiveCardPerToken,
  '0003_payment_engine': paymentEngine,
  '0004_rate_limits_and_unverified_emails': rateLimitsAndUnverifiedEmails,
  '0005_pay_by_bank': payByBank,
  '0007_payment_terms': paymentTerms,
  '0006_one_time_cards': oneTimeCards,
  '0008_bank_offers': bankOffers,
  '0009_housekeeping_indexes': housekeepingIndexes,
  '0010_open_challenge_indexes': openChallengeIndexes,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date; throws (refusing to start) when a migration fails.
 * Several processes may start at once on PostgreSQL: Kysely's migration lock lets one run them.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed${detail}`, { cause: error });
  }
}
