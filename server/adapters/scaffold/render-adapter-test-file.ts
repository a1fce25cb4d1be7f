/**
 * The source of a new adapter's conformance test (test/adapters/<name>.test.ts): the
 * shared suite in a few lines. Without `<NAME>_SANDBOX_URL` only the shape checks run,
 * and every live case is skipped saying so; with it (and `<NAME>_API_KEY`), all of them.
 */
import type { AdapterNames } from './adapter-names.ts';

/** `imports`: the import path, from the test file's folder, of the conformance suite's folder and of the adapter file. */
export function renderAdapterTestFile(names: AdapterNames, imports: { conformance: string; adapter: string }): string {
  const { id, pascal, env, display } = names;
  return `/**
 * ${display} against its sandbox, with the shared conformance suite (docs/adapters.md):
 *   ${env}_SANDBOX_URL=https://… ${env}_API_KEY=… node --import tsx --test test/adapters/${id}.test.ts
 * Without ${env}_SANDBOX_URL only the shape checks run; the live cases are skipped, saying why.
 */
import { runBankAdapterConformance } from '${imports.conformance}/bank-adapter.conformance.ts';
import { create${pascal}Adapter } from '${imports.adapter}';

const baseUrl = process.env.${env}_SANDBOX_URL || undefined;
const apiKey = process.env.${env}_API_KEY ?? '';
const future = { expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123', name: 'Ada Lovelace' };

runBankAdapterConformance({
  name: '${display} adapter',
  // Building the adapter never calls the bank: the shape checks run with placeholders.
  createAdapter: (settings) => create${pascal}Adapter({ baseUrl: baseUrl ?? 'http://127.0.0.1:9', apiKey: apiKey || 'placeholder', ...settings }),
  createUnreachableAdapter: () => create${pascal}Adapter({ baseUrl: 'http://127.0.0.1:9', apiKey: 'placeholder', timeoutMs: 2_000 }),
  createMisconfiguredAdapter: () => create${pascal}Adapter({ baseUrl: baseUrl ?? 'http://127.0.0.1:9', apiKey: 'not-the-key' }),
  // ${display}'s sandbox test cards: one that approves, one declined (card_declined), one with insufficient funds.
  cards: {
    approve: { number: '4242424242424242', ...future },
    decline: { number: '4000000000000002', ...future },
    insufficientFunds: { number: '4000000000009995', ...future },
  },
  // Pass ${display}'s fault switch as a BankFaultControl (see sandbox-bank-faults.ts) to run the fault cases.
  faults: { unavailable: "${display}'s sandbox has no fault switch wired in yet (a BankFaultControl, see test/adapters/sandbox-bank-faults.ts)" },
  secrets: apiKey ? [apiKey] : [],
  skipLive: baseUrl ? undefined : '${env}_SANDBOX_URL is not set: start ${display}\\'s sandbox, set ${env}_SANDBOX_URL and ${env}_API_KEY',
});
`;
}
