/**
 * Serves a bank's Hono app on a port and hands back its URL and a close() that also closes the bank's ledger.
 * Both sandbox banks (the card bank and Meridian) listen this way.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface ListenBankAppOptions {
  /** How errors name the bank, e.g. `sandbox bank`. */
  bankName: string;
  fetch: (request: Request) => Response | Promise<Response>;
  /** 0 = any free port. */
  port: number;
  host: string;
  /** Closes the bank's ledger; called if listening fails and after the server has closed. */
  destroyLedger(): Promise<void>;
}

export interface ListeningBank {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function listenBankApp(options: ListenBankAppOptions): Promise<ListeningBank> {
  const { bankName, fetch, port, host, destroyLedger } = options;
  let server: ReturnType<typeof serve>;
  let address: AddressInfo;
  try {
    ({ server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>((resolveListen, reject) => {
      const listening = serve({ fetch, port, hostname: host }, (info) => resolveListen({ server: listening, address: info }));
      listening.once('error', reject);
    }));
  } catch (error) {
    await destroyLedger();
    throw new Error(`${bankName} could not listen on ${host}:${port}: ${(error as Error).message}`, { cause: error });
  }

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          // Idle keep-alive sockets would hold close() open.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await destroyLedger();
      })();
      return closing;
    },
  };
}
