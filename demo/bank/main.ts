/**
 * The sandbox partner bank: its own HTTP process with its own SQLite ledger.
 *
 *   BANK_API_KEY=... tsx demo/bank/main.ts
 *
 * Env: BANK_PORT (8788; 0 = any free port), PAYKEY_DATA_DIR (./.data), BANK_API_KEY (required),
 * BANK_ADMIN_KEY (optional: guards `/admin/faults`, fault injection; unset, `/admin/*` is 404),
 * BANK_LIMITS (optional JSON `{ currencies, amount: { min, max }, maxDescriptionLength }`: a narrower bank
 * than `sandboxBankLimits`, see sandbox-bank-limits.ts), SANDBOX_CASHBACK_DELAY_MS (offers' cashback delay, default
 * 60000), SANDBOX_LATENCY_MS (every `/v1` call waits this many ms first: a bank with a known latency, as `npm run bench`
 * uses; default 0).
 * Prints `SANDBOX_BANK_READY http://127.0.0.1:<port>` once listening.
 */
import { isMainModule } from '../shared/is-main-module.ts';
import { sandboxBankProfile } from './sandbox-bank-profile.ts';
import { runCardBankFromCommandLine, startCardBank, type CardBankOptions, type RunningCardBank } from './start-card-bank.ts';

export type SandboxBankOptions = CardBankOptions;
export type RunningSandboxBank = RunningCardBank;

export function startSandboxBank(options: SandboxBankOptions): Promise<RunningSandboxBank> {
  return startCardBank(sandboxBankProfile, options);
}

if (isMainModule(import.meta.url)) await runCardBankFromCommandLine(sandboxBankProfile);
