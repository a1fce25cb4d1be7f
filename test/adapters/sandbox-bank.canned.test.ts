/** The sandbox bank adapter against the answers recorded from the sandbox bank (no bank process): see bank-adapter.canned.ts. */
import { createSandboxBankAdapter } from '../../server/adapters/sandbox-bank.ts';
import { runCannedBankAdapterTests } from './bank-adapter.canned.ts';

runCannedBankAdapterTests({
  name: 'sandbox bank adapter',
  fixtures: 'sandbox',
  // Timeouts are replayed as such; the key is any the canned fetch accepts (it is never recorded).
  createAdapter: ({ baseUrl, fetch }) => createSandboxBankAdapter({ baseUrl, apiKey: 'sk_sandbox_canned', timeoutMs: 300, fetch }),
});
