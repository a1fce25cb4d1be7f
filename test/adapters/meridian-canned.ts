/**
 * What the Meridian recording script and the canned replay share: the fixtures folder, its test-only keys, and the
 * adapter as a fixture describes it (the recording's base URL, client, key; fetch and clock given by the caller).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountPaymentAdapter } from '../../server/adapters/open-banking/account-payment-adapter.ts';
import { createMeridianBankAdapter } from '../../server/adapters/open-banking/meridian-bank.ts';
import { walletSigningKeyFromPem, type WalletSigningKey } from '../../server/adapters/open-banking/wallet-signing-key.ts';
import type { ObCannedFixture } from './canned/open-banking-exchange.ts';

export const MERIDIAN_FIXTURES = join(import.meta.dirname, 'fixtures', 'meridian');
export const MERIDIAN_TRUST_ANCHOR = 'sandbox.paykey.dev';

/** A TEST-ONLY key stored with the fixtures (`test-only-<name>-key.pem`): never a real bank's or a deployment's. */
export function cannedKey(name: ObCannedFixture['adapter']['key']): WalletSigningKey {
  return walletSigningKeyFromPem(readFileSync(join(MERIDIAN_FIXTURES, `test-only-${name}-key.pem`), 'utf8'));
}

export function readMeridianFixtures(): { file: string; fixture: ObCannedFixture }[] {
  return readdirSync(MERIDIAN_FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(MERIDIAN_FIXTURES, file), 'utf8')) as ObCannedFixture }));
}

export function cannedMeridianAdapter(
  fixture: Pick<ObCannedFixture, 'baseUrl' | 'adapter'>,
  settings: { fetch: typeof fetch; now: () => Date; log: (line: string) => void },
): AccountPaymentAdapter {
  return createMeridianBankAdapter({
    baseUrl: fixture.baseUrl,
    clientId: fixture.adapter.clientId,
    signingKey: cannedKey(fixture.adapter.key),
    redirectUri: fixture.adapter.redirectUri,
    timeoutMs: fixture.adapter.timeoutMs,
    trustAnchor: MERIDIAN_TRUST_ANCHOR,
    ...settings,
  });
}
