/**
 * The canned half of an adapter's tests (ActiveMerchant's unit tests beside its
 * remote ones): every fixture recorded from the bank's sandbox under
 * `test/adapters/fixtures/<bank>/` is replayed through the adapter with a canned
 * fetch — no bank process — and the adapter must send the recorded requests, make
 * of the recorded answers what the scenario expects (stated when it was recorded:
 * a decline value, an unknown outcome, …) and exactly what it made of them live.
 *
 *   runCannedBankAdapterTests({ name: 'sandbox', fixtures: 'sandbox', createAdapter: ({ baseUrl, fetch }) => … });
 *
 * Record them again (after changing the adapter or the bank) with the bank's
 * recording script, e.g. `node --import tsx test/adapters/record-sandbox-fixtures.ts`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BankAdapter } from '../../server/adapters/bank-adapter.ts';
import { breaksExpectation, type CannedFixture } from './canned/bank-exchange.ts';
import { callAdapter } from './canned/call-adapter.ts';
import { cannedFetch } from './canned/canned-fetch.ts';

export interface CannedBankAdapterOptions {
  name: string;
  /** The folder under `test/adapters/fixtures/`. */
  fixtures: string;
  createAdapter(settings: { baseUrl: string; fetch: typeof fetch }): BankAdapter;
}

export const FIXTURES_ROOT = join(import.meta.dirname, 'fixtures');

export function readCannedFixtures(folder: string): { file: string; fixture: CannedFixture }[] {
  const dir = join(FIXTURES_ROOT, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), 'utf8')) as CannedFixture }));
}

export function runCannedBankAdapterTests(options: CannedBankAdapterOptions): void {
  const fixtures = readCannedFixtures(options.fixtures);

  describe(`${options.name} maps recorded bank answers (canned, no bank process)`, () => {
    it('has recorded fixtures', () => {
      assert.ok(fixtures.length > 0, `expected fixtures in test/adapters/fixtures/${options.fixtures}/, received none`);
    });

    for (const { file, fixture } of fixtures) {
      it(`${file}: ${fixture.scenario}`, async () => {
        const fetch = cannedFetch(fixture.baseUrl, fixture.exchanges);
        const adapter = options.createAdapter({ baseUrl: fixture.baseUrl, fetch });
        const outcome = await callAdapter(adapter, fixture.call);
        assert.equal(breaksExpectation(outcome, fixture.expect), null);
        assert.deepEqual(outcome, fixture.outcome);
        assert.equal(fetch.remaining(), 0, 'expected the adapter to make every recorded request');
      });
    }
  });
}
