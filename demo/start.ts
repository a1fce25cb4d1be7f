/**
 * `npm start`: the whole product on localhost — the sandbox bank and Lotus Bank (莲花银行, CNY cards) each in its
 * own process, Meridian Bank (pay by bank), the Paykey wallet server, and the demo shop (a different site).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { accountPaymentFrom, readEnvConfig } from '../server/config/read-env-config.ts';
import { startWalletServer } from '../server/main.ts';
import { spawnSandboxBank } from './bank/spawn-sandbox-bank.ts';
import { spawnLotusBank } from './lotus/spawn-lotus-bank.ts';
import { startMeridianForDemo } from './open-banking/start-meridian-for-demo.ts';
import { startDemoShop } from './shop/main.ts';

const env = process.env;
const walletPort = Number(env.PAYKEY_PORT ?? 8787);
const bankPort = Number(env.BANK_PORT ?? 8788);
const shopPort = Number(env.SHOP_PORT ?? 8789);
const lotusPort = Number(env.LOTUS_BANK_PORT ?? 8791);
const dataDir = resolve(env.PAYKEY_DATA_DIR ?? '.data');
const secretKey = env.PAYKEY_DEMO_SECRET_KEY || `sk_test_${randomBytes(24).toString('base64url')}`;
const bankApiKey = env.BANK_API_KEY || `bank_sk_${randomBytes(24).toString('base64url')}`;
// Switches the sandbox bank's faults (`/admin/faults`), so anyone can watch Paykey ride out a misbehaving bank.
const bankAdminKey = env.BANK_ADMIN_KEY || `bank_admin_${randomBytes(24).toString('base64url')}`;
const lotusApiKey = env.LOTUS_BANK_API_KEY || `lotus_sk_${randomBytes(24).toString('base64url')}`;
const lotusAdminKey = env.LOTUS_BANK_ADMIN_KEY || `lotus_admin_${randomBytes(24).toString('base64url')}`;
const merchantOrigins = (env.PAYKEY_DEMO_MERCHANT_ORIGINS ?? `http://127.0.0.1:${shopPort}`)
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);

// The wallet server's own settings (bank timeout, worker timings, DATABASE_URL, …) as `server/main.ts` reads them.
let walletConfig: ReturnType<typeof readEnvConfig>;
try {
  walletConfig = readEnvConfig(env);
} catch (error) {
  console.error(`Paykey demo did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const { generatedSecretKey: _generated, ...walletSettings } = walletConfig;
// On PostgreSQL the wallet needs its client-secret key configured (never kept in the database); the demo's one process makes one up.
if (walletSettings.database.databaseUrl && !walletSettings.clientSecretKey) walletSettings.clientSecretKey = randomBytes(32).toString('base64url');

mkdirSync(dataDir, { recursive: true });
let stopping = false;

// Meridian Bank, the sandbox Open Banking bank (pay by bank), starts alongside: OB_BANK_PORT, default 8790.
// The wallet is its client: Meridian fetches the wallet's keys from its JWKS and sends shoppers back to its callback.
const walletOrigin = new URL(env.PAYKEY_PUBLIC_ORIGIN || `http://localhost:${walletPort}`).origin;
const walletClient = { clientId: env.OB_CLIENT_ID || 'paykey-wallet', redirectUris: [`${walletOrigin}/ob/callback`], jwksUri: `${walletOrigin}/.well-known/jwks.json` };
const meridianStarting = startMeridianForDemo({ ...env, OB_BANK_CLIENTS: env.OB_BANK_CLIENTS || JSON.stringify([walletClient]) }, dataDir);
// The sandbox bank runs as its own process, as a partner bank would.
const bank = await spawnSandboxBank({ dataDir, apiKey: bankApiKey, adminKey: bankAdminKey, port: bankPort });
void bank.exited.then(() => {
  if (stopping) return;
  console.error(`The sandbox bank exited; stopping the demo.\n${bank.stderr()}`);
  void stop(1);
});
// Lotus Bank too: its cards are held in CNY, so paying in another currency shows its exchange rate and fee.
const lotus = await spawnLotusBank({ dataDir, apiKey: lotusApiKey, adminKey: lotusAdminKey, port: lotusPort });
void lotus.exited.then(() => {
  if (stopping) return;
  console.error(`Lotus Bank exited; stopping the demo.\n${lotus.stderr()}`);
  void stop(1);
});
const meridian = await meridianStarting;
void meridian?.exited.then(() => {
  if (stopping) return;
  console.error(`Meridian Bank exited; stopping the demo.\n${meridian.stderr()}`);
  void stop(1);
});
const wallet = await startWalletServer({
  ...walletSettings,
  port: walletPort,
  bank: { ...walletSettings.bank, baseUrl: bank.url, apiKey: bankApiKey },
  lotusBank: { baseUrl: lotus.url, apiKey: lotusApiKey },
  // Its category code and country (PAYKEY_DEMO_MERCHANT_MCC / _COUNTRY, default 5499 in the US): what banks match offers on.
  demoMerchant: { secretKey, origins: merchantOrigins, displayName: 'Demo Shop', mcc: walletSettings.demoMerchant?.mcc, country: walletSettings.demoMerchant?.country },
  // Pay by bank, when Meridian runs (GBP payments): the wallet pays the demo shop's account there.
  accountPayment: meridian ? accountPaymentFrom({ ...env, PAYKEY_DATA_DIR: dataDir, OB_BANK_URL: meridian.url }) : undefined,
});
const shop = await startDemoShop({ port: shopPort, walletUrl: wallet.url, secretKey });

console.log(`
Paykey demo is running
  Demo shop       ${shop.url}   <- open this in Chromium
  Shop webhooks   ${shop.webhookError ? `not registered: ${shop.webhookError}` : shop.webhookUrl}
  Wallet server   ${wallet.url}
  Sandbox bank    ${bank.url}
  Lotus Bank      ${lotus.url}   (莲花银行, CNY cards; admin key ${lotus.adminKey})
  Meridian Bank   ${meridian ? `${meridian.apiUrl}   (Open Banking sandbox; admin key ${meridian.adminKey})` : 'not running'}
  Bank admin key (faults): ${bank.adminKey}${env.BANK_ADMIN_KEY ? ' (from BANK_ADMIN_KEY)' : ' (random; set BANK_ADMIN_KEY to fix it)'}
  Data directory  ${dataDir}${walletSettings.database.databaseUrl ? ' (the wallet itself uses PostgreSQL: DATABASE_URL)' : ''}
  Demo merchant secret key: ${secretKey}${env.PAYKEY_DEMO_SECRET_KEY ? ' (from PAYKEY_DEMO_SECRET_KEY)' : ' (random; set PAYKEY_DEMO_SECRET_KEY to fix it)'}
  Test cards: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 declines (Sandbox Bank, any currency);
              5555 5555 5555 4444 approves, 5105 1051 0510 5100 declines (Lotus Bank, CNY); any future expiry, any 3-digit CVC
  Bank offers: the Longjing Tea Gift Box (¥250) with 5555…4444 gets Lotus Bank's ¥20 off; the Yixing Tea Set (¥1,280) its
              3 interest-free instalments; the Paykey Tee with 4242…4242 Sandbox Bank's 5 % cashback (controls: /sandbox/offers/controls)
PAYKEY_DEMO_READY ${JSON.stringify({ shop: shop.url, wallet: wallet.url, bank: bank.url, bankAdminKey: bank.adminKey, lotus: { url: lotus.url, adminKey: lotus.adminKey }, meridian: meridian ? { url: meridian.url, adminKey: meridian.adminKey } : null })}`);

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([shop.close(), wallet.close()]);
  await Promise.allSettled([bank.stop(), lotus.stop(), meridian?.stop()]);
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
