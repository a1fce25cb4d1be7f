/**
 * The shared account-payment suite (account-payment.conformance.ts) against the Meridian Bank
 * adapter and a real Meridian process, with Meridian's own fault switch (`/admin/faults`:
 * routes consent/payment/…, kinds latency, error_after, drop_after, garbled_after, …).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe } from 'node:test';
import type { ConsentRequest } from '../../server/adapters/open-banking/account-payment-adapter.ts';
import { walletSigningKeyFromPem } from '../../server/adapters/open-banking/wallet-signing-key.ts';
import { runAccountPaymentConformance } from './account-payment.conformance.ts';
import type { BankFaultControl } from './bank-fault-control.ts';
import { decideAtBank, MERCHANT_ACCOUNT, SHOPPER_CURRENT, SHOPPER_SAVER } from './meridian-shopper.ts';
import { startMeridianForWallet, type MeridianWalletFixture } from './meridian-wallet-fixture.ts';

describe('Meridian Bank adapter (shared account-payment suite)', () => {
  let fixture: MeridianWalletFixture;
  before(async () => {
    fixture = await startMeridianForWallet();
  });
  after(() => fixture?.stop());

  /** Meridian's fault switch as the suite's: a `timeout` is its `latency` (the bank books when the wait ends). */
  const faults: BankFaultControl = {
    kinds: ['timeout', 'drop_after', 'error_after', 'garbled_after'],
    async inject(call, kind, options = {}) {
      const rule = kind === 'timeout' ? { route: call, kind: 'latency', ms: options.holdMs ?? 1_000, count: 1 } : { route: call, kind, count: 1 };
      const answer = await fixture.admin('POST', '/admin/faults', rule);
      if (answer.status !== 201) throw new Error(`Meridian faults: expected 201, received ${answer.status} ${JSON.stringify(answer.body)}`);
    },
    async clear() {
      await fixture.admin('DELETE', '/admin/faults');
    },
  };

  const order = (): ConsentRequest => {
    const reference = `pk_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    return {
      reference,
      idempotencyKey: randomUUID(),
      amount: 1_250,
      currency: 'GBP',
      payee: { name: 'Paykey Demo Shop Ltd', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: MERCHANT_ACCOUNT },
      description: `Order ${reference.slice(3, 11)}`,
    };
  };

  runAccountPaymentConformance({
    name: 'Meridian Bank adapter',
    createAdapter: (settings) => fixture.adapter(settings),
    createUnreachableAdapter: () => fixture.adapter({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 }),
    createMisconfiguredAdapter: () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return fixture.adapter({ signingKey: walletSigningKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) });
    },
    order,
    shopper: (url, decision) => decideAtBank(url, decision),
    payerBalance: async () => (await fixture.balances())[SHOPPER_CURRENT],
    faults,
    secrets: [SHOPPER_CURRENT, SHOPPER_SAVER, MERCHANT_ACCOUNT],
    logLines: () => fixture.logs,
  });
});
