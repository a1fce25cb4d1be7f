/**
 * Starts Lotus Bank (`demo/lotus/main.ts`) as a real child process, and waits for its READY line.
 * `npm start` and the tests both run the bank this way.
 */
import { fileURLToPath } from 'node:url';
import { spawnCardBank, type SpawnCardBankOptions, type SpawnedCardBank } from '../bank/spawn-card-bank.ts';
import { lotusBankProfile } from './lotus-bank-profile.ts';

export type SpawnLotusBankOptions = SpawnCardBankOptions;
export type SpawnedLotusBank = SpawnedCardBank;

const lotusMain = fileURLToPath(new URL('./main.ts', import.meta.url));

export function spawnLotusBank(options: SpawnLotusBankOptions): Promise<SpawnedLotusBank> {
  return spawnCardBank(lotusBankProfile, lotusMain, options);
}
