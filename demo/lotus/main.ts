/**
 * Lotus Bank (莲花银行), the demo's second partner card bank: its own HTTP process with its own SQLite ledger,
 * the sandbox bank's code run from Lotus Bank's profile (CNY cards, FX quotes, fees).
 *
 *   LOTUS_BANK_API_KEY=... tsx demo/lotus/main.ts
 *
 * Env: LOTUS_BANK_PORT (8791; 0 = any free port), PAYKEY_DATA_DIR (./.data; the ledger is `lotus-bank.sqlite`),
 * LOTUS_BANK_API_KEY (required), LOTUS_BANK_ADMIN_KEY (optional: guards `/admin/faults`).
 * Prints `LOTUS_BANK_READY http://127.0.0.1:<port>` once listening.
 */
import { runCardBankFromCommandLine, startCardBank, type CardBankOptions, type RunningCardBank } from '../bank/start-card-bank.ts';
import { isMainModule } from '../shared/is-main-module.ts';
import { lotusBankProfile } from './lotus-bank-profile.ts';

export function startLotusBank(options: Omit<CardBankOptions, 'limits'>): Promise<RunningCardBank> {
  return startCardBank(lotusBankProfile, options);
}

if (isMainModule(import.meta.url)) await runCardBankFromCommandLine(lotusBankProfile);
