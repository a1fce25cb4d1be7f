/**
 * The command-line life of a bank process: start it (a failure exits 1), close it on SIGTERM/SIGINT, and print
 * `<readyWord> <url>` once it listens — the line spawnBankProcess waits for.
 */
export interface RunBankProcessOptions {
  /** How messages name the bank, e.g. `sandbox bank`. */
  bankName: string;
  /** e.g. `SANDBOX_BANK_READY`. */
  readyWord: string;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

export async function runBankProcess(options: RunBankProcessOptions): Promise<void> {
  const { bankName, readyWord } = options;
  let bank: { url: string; close(): Promise<void> };
  try {
    bank = await options.start();
  } catch (error) {
    console.error(`${bankName}: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // A second Ctrl-C means now.
    stopping = true;
    bank.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${bankName}: failed to close after ${signal}: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`${readyWord} ${bank.url}`);
}
