/**
 * Our own process dying: SIGKILLs a random wallet instance once per
 * `crashEvery` started payments (at a random payment of each window, after a
 * random delay, so mid-request) and restarts it on the same port with the
 * same env; also SIGKILLs and restarts the bank a few times. Remembers which
 * payments were in flight at each wallet kill, for settle_p99_ms.
 */
import type { BankProcess } from './bank-process.ts';
import { sleep } from './http-json.ts';
import type { PaymentRecord } from './payment-driver.ts';
import type { Random } from './random.ts';
import type { WalletCluster } from './wallet-cluster.ts';

export interface WalletCrash {
  instance: number;
  killedAt: number;
  /** When the restarted instance printed READY; undefined if it did not restart. */
  readyAt?: number;
  /** Payments started and not final at the kill. */
  inFlight: PaymentRecord[];
}

export interface ChaosMonkey {
  /** Call when payment `n` (0-based) starts, with the payments in flight then. */
  onPaymentStarted(n: number): void;
  readonly walletCrashes: WalletCrash[];
  /** No more crashes; resolves once those already triggered are done (killed and restarted). */
  stop(): Promise<void>;
}

export interface ChaosMonkeyOptions {
  payments: number;
  crashEvery: number;
  bankCrashes: number;
  wallet: WalletCluster;
  bank: BankProcess;
  random: Random;
  inFlight(): PaymentRecord[];
  /** After a bank restart (re-apply the faults, which lived in its memory). */
  afterBankRestart(): Promise<void>;
  log(line: string): void;
}

export function createChaosMonkey(options: ChaosMonkeyOptions): ChaosMonkey {
  const { payments, crashEvery, bankCrashes, wallet, bank, random, log } = options;
  const walletCrashAt = new Set<number>();
  if (crashEvery > 0) {
    for (let start = 0; start + crashEvery <= payments; start += crashEvery) walletCrashAt.add(start + random.int(0, crashEvery - 1));
  }
  const bankCrashAt = new Set<number>();
  const earliest = Math.floor(payments * 0.1);
  const latest = Math.max(earliest, Math.floor(payments * 0.8));
  for (let tries = 0; bankCrashAt.size < Math.min(bankCrashes, latest - earliest + 1) && tries < 10_000; tries++) {
    bankCrashAt.add(random.int(earliest, latest));
  }

  const walletCrashes: WalletCrash[] = [];
  let stopped = false;
  // One wallet kill/restart at a time, and one bank crash at a time.
  let walletChain = Promise.resolve();
  let bankChain = Promise.resolve();

  const crashWallet = async () => {
    await sleep(random.int(0, 800));
    const up = wallet.instances.filter((i) => i.up);
    if (up.length === 0) return;
    const instance = random.pick(up);
    const crash: WalletCrash = { instance: instance.index, killedAt: Date.now(), inFlight: options.inFlight() };
    walletCrashes.push(crash);
    await instance.kill();
    log(`chaos: SIGKILLed wallet ${instance.index} (${crash.inFlight.length} payments in flight); restarting`);
    try {
      await instance.start();
      crash.readyAt = instance.readyAt;
    } catch (error) {
      log(`chaos: wallet ${instance.index} did not restart: ${(error as Error).message}`);
    }
  };

  const crashBank = async () => {
    await sleep(random.int(0, 800));
    log('chaos: SIGKILLing the bank; restarting it');
    await bank.crashAndRestart();
    await options.afterBankRestart();
  };

  return {
    walletCrashes,
    onPaymentStarted(n) {
      if (stopped) return;
      if (walletCrashAt.has(n)) walletChain = walletChain.then(crashWallet).catch((e: Error) => log(`chaos: wallet crash failed: ${e.message}`));
      if (bankCrashAt.has(n)) bankChain = bankChain.then(crashBank).catch((e: Error) => log(`chaos: bank crash failed: ${e.message}`));
    },
    async stop() {
      stopped = true;
      await Promise.all([walletChain, bankChain]);
    },
  };
}
