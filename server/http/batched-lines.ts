/**
 * Log lines gathered for one write per event-loop turn: under load a request log written line by line costs a
 * system call per request on the main thread. Lines wait at most until the turn ends (`setImmediate`), and
 * whatever is still waiting when the process exits — `process.exit`, the end of the event loop, or an uncaught
 * exception or unhandled rejection (Node emits `exit` for those too) — is written before it goes.
 */
export interface BatchedLines {
  /** Queues one line (without its newline). */
  write(line: string): void;
  /** Writes every queued line now, in order. */
  flush(): void;
}

/** `out` receives the joined lines, each ending in a newline; it must write synchronously to be safe on exit. */
export function createBatchedLines(out: (text: string) => void, onExit: (flush: () => void) => void = exitHook): BatchedLines {
  let queued: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued.length === 0) return;
    const text = queued.join('\n') + '\n';
    queued = [];
    out(text);
  };
  onExit(flush);
  return {
    write(line) {
      queued.push(line);
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
    flush,
  };
}

function exitHook(flush: () => void): void {
  process.once('exit', flush);
}

let stdoutLines: BatchedLines | undefined;

/**
 * The process's one batch for stdout (one exit listener however many loggers write to it). Node writes to
 * files, pipes and terminals synchronously on Linux and macOS, so the flush on exit reaches them.
 */
export function stdoutBatch(): BatchedLines {
  stdoutLines ??= createBatchedLines((text) => process.stdout.write(text));
  return stdoutLines;
}
