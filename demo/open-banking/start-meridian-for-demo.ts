/**
 * `npm start`'s Meridian Bank: spawned on OB_BANK_PORT (default 8790) with the clients in OB_BANK_CLIENTS and the
 * admin key in OB_BANK_ADMIN_KEY (random when unset). Pay by bank is optional for the demo: when the default port
 * is taken it takes any free port, and when the bank cannot start at all the demo runs on without it (one
 * warning line), so the card checkout never depends on it.
 */
import { parseClientList } from './oauth/client-registry.ts';
import { spawnMeridianBank, type SpawnedMeridianBank } from './spawn-meridian-bank.ts';

export async function startMeridianForDemo(env: NodeJS.ProcessEnv, dataDir: string): Promise<SpawnedMeridianBank | null> {
  try {
    const options = {
      dataDir,
      adminKey: env.OB_BANK_ADMIN_KEY || undefined,
      clients: env.OB_BANK_CLIENTS ? parseClientList(env.OB_BANK_CLIENTS) : [],
    };
    if (env.OB_BANK_PORT) return await spawnMeridianBank({ ...options, port: Number(env.OB_BANK_PORT) });
    try {
      return await spawnMeridianBank({ ...options, port: 8790 });
    } catch (error) {
      if (!/EADDRINUSE/.test((error as Error).message)) throw error;
      return await spawnMeridianBank({ ...options, port: 0 });
    }
  } catch (error) {
    console.error(`Meridian Bank (pay by bank) did not start; the demo runs without it: ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
}
