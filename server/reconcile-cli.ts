/**
 * `npm run reconcile -- --since <time>`: compares our records with every
 * configured bank's ledger since then and prints each mismatch. Reads the same
 * environment as the server (DATABASE_URL or PAYKEY_DATA_DIR, BANK_URL,
 * BANK_API_KEY). `<time>`: an ISO 8601 time, or an age such as `30m`, `24h`, `7d`.
 * Exits 1 when there is a mismatch, 2 when it could not check.
 */
import { parseArgs } from 'node:util';
import { createBankRegistry } from './adapters/registry.ts';
import { createSandboxBankAdapter } from './adapters/sandbox-bank.ts';
import { readEnvConfig } from './config/read-env-config.ts';
import { reconcileLedger } from './payments/reconcile-ledger.ts';
import { openDatabase } from './store/database.ts';

const { values } = parseArgs({ options: { since: { type: 'string', default: '24h' } } });
let since: Date;
try {
  since = parseSince(values.since!, new Date());
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const config = readEnvConfig(process.env);
const banks = createBankRegistry([createSandboxBankAdapter(config.bank)]);
const db = await openDatabase(config.database);
let mismatches = 0;
try {
  for (const bank of banks.all()) {
    const report = await reconcileLedger(db, bank, since);
    for (const m of report.mismatches) console.log(`mismatch bank=${report.bank} kind=${m.kind} reference=${m.reference} ${m.detail}`);
    console.log(`bank=${report.bank} since=${since.toISOString()} charges=${report.charges} refunds=${report.refunds} in_flight=${report.inFlight} mismatches=${report.mismatches.length}`);
    mismatches += report.mismatches.length;
  }
} catch (error) {
  console.error(`reconcile: could not compare with the bank: ${(error as Error).message}`);
  process.exit(2);
} finally {
  await db.destroy();
}
process.exit(mismatches > 0 ? 1 : 0);

function parseSince(text: string, now: Date): Date {
  const age = /^(\d+)([mhd])$/.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 'm' | 'h' | 'd']);
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Error(`--since: expected an ISO 8601 time or an age like 24h, received ${JSON.stringify(text)}`);
  return at;
}
