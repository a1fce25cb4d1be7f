import { stdoutBatch } from './batched-lines.ts';

/**
 * Structured one-line JSON logs. Callers pass only what is safe to keep:
 * never bodies, query strings, secrets or card numbers.
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** `write` gets each line without its newline; by default they go to stdout, one write per event-loop turn (batched-lines.ts). */
export function createJsonLogger(write: (line: string) => void = (line) => stdoutBatch().write(line)): Logger {
  const log = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
