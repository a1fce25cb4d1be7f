/**
 * Records canned fixtures of one card bank (`test/adapters/fixtures/<folder>/`, emptied first): each scenario runs
 * through the real adapter with a recording fetch, its outcome must meet what the scenario expects, and it is written
 * as one JSON file. The card banks' recording scripts (record-sandbox-fixtures.ts, record-lotus-fixtures.ts) use it.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BankAdapter } from '../../../server/adapters/bank-adapter.ts';
import { FIXTURES_ROOT } from '../bank-adapter.canned.ts';
import { breaksExpectation, type CannedCall, type CannedExpectation, type CannedFixture, type RecordedExchange } from './bank-exchange.ts';
import { callAdapter } from './call-adapter.ts';
import { recordingFetch } from './recording-fetch.ts';

export interface RecordOptions {
  /** Another key than the bank's (a refused one). */
  apiKey?: string;
  timeoutMs?: number;
  /** Runs before the call (e.g. arms a fault). */
  before?: () => Promise<void>;
}

export interface FixtureRecorder {
  record(file: string, scenario: string, expect: CannedExpectation, call: CannedCall, options?: RecordOptions): Promise<CannedFixture['outcome']>;
  /** A unique reference or key for this recording, numbered so fixtures read in order. */
  id(what: string): string;
}

export function fixtureRecorder(
  folder: string,
  bank: { url: string; apiKey: string },
  createAdapter: (settings: { baseUrl: string; apiKey: string; timeoutMs?: number; fetch: typeof fetch }) => BankAdapter,
): FixtureRecorder {
  const outDir = join(FIXTURES_ROOT, folder);
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir)) if (file.endsWith('.json')) rmSync(join(outDir, file));
  let serial = 0;
  return {
    id: (what) => `canned-${what}-${String((serial += 1)).padStart(2, '0')}`,
    async record(file, scenario, expect, call, options = {}) {
      const exchanges: RecordedExchange[] = [];
      const adapter = createAdapter({
        baseUrl: bank.url,
        apiKey: options.apiKey ?? bank.apiKey,
        timeoutMs: options.timeoutMs,
        fetch: recordingFetch(bank.url, exchanges),
      });
      await options.before?.();
      const outcome = await callAdapter(adapter, call);
      const broken = breaksExpectation(outcome, expect);
      if (broken) throw new Error(`${file}: ${broken}`);
      const fixture: CannedFixture = { scenario, expect, baseUrl: bank.url, call, exchanges, outcome };
      writeFileSync(join(outDir, `${file}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
      console.log(`${file}: ${JSON.stringify(outcome).slice(0, 120)}`);
      return outcome;
    },
  };
}
