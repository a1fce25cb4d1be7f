/**
 * Starts the sandbox bank (`demo/bank/main.ts`) as a real child process, and
 * waits for its READY line. `npm start` and the tests both run the bank this way.
 */
import { fileURLToPath } from 'node:url';
import { sandboxBankProfile } from './sandbox-bank-profile.ts';
import type { SandboxBankLimits } from './sandbox-bank-limits.ts';
import { spawnCardBank, type SpawnCardBankOptions, type SpawnedCardBank } from './spawn-card-bank.ts';

export interface SpawnSandboxBankOptions extends SpawnCardBankOptions {
  /** `BANK_LIMITS`: a narrower bank than the sandbox bank's own limits (its adapter must be given the same). */
  limits?: SandboxBankLimits;
}

export type SpawnedSandboxBank = SpawnedCardBank;

const bankMain = fileURLToPath(new URL('./main.ts', import.meta.url));

export function spawnSandboxBank(options: SpawnSandboxBankOptions): Promise<SpawnedSandboxBank> {
  return spawnCardBank(sandboxBankProfile, bankMain, options, { BANK_LIMITS: options.limits ? JSON.stringify(options.limits) : '' });
}
