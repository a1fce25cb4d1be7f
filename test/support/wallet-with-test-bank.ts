/** A test wallet that charges its own sandbox bank process (test-bank.ts), for a test file: started and closed together. */
import { startTestBank, type TestBank } from './test-bank.ts';
import { startTestWallet, type TestWallet } from './wallet-harness.ts';

export interface WalletWithTestBank {
  bank: TestBank;
  wallet: TestWallet;
}

export async function startWalletWithTestBank(): Promise<WalletWithTestBank> {
  const bank = await startTestBank();
  try {
    return { bank, wallet: await startTestWallet({ bank: bank.config }) };
  } catch (error) {
    await bank.close();
    throw error;
  }
}

/** Closes the wallet, then the bank; either may be missing (a `before` that failed half way). */
export async function closeWalletWithTestBank({ bank, wallet }: Partial<WalletWithTestBank>): Promise<void> {
  await wallet?.close();
  await bank?.close();
}
