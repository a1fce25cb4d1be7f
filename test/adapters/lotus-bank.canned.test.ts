/** The Lotus Bank adapter against the answers recorded from Lotus Bank (no bank process): see bank-adapter.canned.ts. */
import { createLotusBankAdapter } from '../../server/adapters/lotus-bank.ts';
import { runCannedBankAdapterTests } from './bank-adapter.canned.ts';

runCannedBankAdapterTests({
  name: 'Lotus Bank adapter',
  fixtures: 'lotus',
  // The key is any the canned fetch accepts (it is never recorded).
  createAdapter: ({ baseUrl, fetch }) => createLotusBankAdapter({ baseUrl, apiKey: 'sk_lotus_canned', timeoutMs: 300, fetch }),
});
