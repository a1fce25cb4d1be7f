import type { IncomingMessage } from 'node:http';

/** Beyond this a refused body is not worth reading: the connection is closed instead. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Reads and discards what is left of a request body, so the client — still
 * sending — receives our answer (a 413) instead of a reset connection.
 */
export function drainRequest(incoming: IncomingMessage | undefined, timeoutMs = 5_000): Promise<void> {
  if (!incoming || incoming.readableEnded || incoming.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      incoming.off('data', count);
      resolve();
    };
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > MAX_DRAIN_BYTES) done();
    };
    const timer = setTimeout(done, timeoutMs);
    incoming.on('data', count);
    incoming.once('end', done);
    incoming.once('error', done);
    incoming.resume();
  });
}
