/**
 * Meridian Bank as a process: one clear line for bad settings; its ledger and signing key survive a restart;
 * without OB_BANK_ADMIN_KEY there are no test controls.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { spawnMeridianBank } from '../../demo/open-banking/spawn-meridian-bank.ts';
import { consentBody, MeridianTestTpp, newTestKey, SHOPPER_CURRENT, TEST_CLIENT_ID, TEST_REDIRECT_URI } from './meridian-test-tpp.ts';

const bankMain = fileURLToPath(new URL('../../demo/open-banking/main.ts', import.meta.url));
let dataDir: string;
before(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-meridian-process-'));
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

function runMain(env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, ['--import', 'tsx', bankMain], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
}

describe('Meridian Bank process', () => {
  it('exits with one clear line for an OB_BANK_PORT that is not a port', () => {
    const result = runMain({ OB_BANK_PORT: 'eighty', PAYKEY_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /expected OB_BANK_PORT to be a port number 0–65535, received "eighty"/);
  });

  it('exits with one clear line for OB_BANK_CLIENTS that are not a client list', () => {
    const result = runMain({ OB_BANK_PORT: '0', PAYKEY_DATA_DIR: dataDir, OB_BANK_CLIENTS: '[{"clientId":"x","redirectUris":[]}]' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /OB_BANK_CLIENTS: expected \[\{ clientId, redirectUris, jwksUri \| jwks \}\], received /);
  });

  it('keeps its ledger and signing key across a restart; without an admin key /admin is 404', async () => {
    const key = newTestKey();
    const clients = [{ clientId: TEST_CLIENT_ID, redirectUris: [TEST_REDIRECT_URI], jwks: { keys: [key.jwk as never] } }];
    const first = await spawnMeridianBank({ dataDir, clients });
    let paymentId: string;
    let kid: string;
    let balance: number;
    try {
      const tpp = new MeridianTestTpp(first.url, first.adminKey, key);
      const flow = await tpp.authorisedConsent(consentBody({ amount: '7.00' }), SHOPPER_CURRENT);
      const paid = await tpp.call('POST', '/domestic-payments', { token: flow.psuToken, body: tpp.paymentBody(flow.consentId, flow.body) });
      assert.equal(paid.body.Data.Status, 'ACSC', paid.text);
      paymentId = paid.body.Data.DomesticPaymentId;
      kid = ((await (await fetch(`${first.url}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys[0].kid;
      balance = (await tpp.balances())[SHOPPER_CURRENT];
      assert.equal(balance, 250_000 - 700);
    } finally {
      await first.stop();
    }

    // Again on the same data directory, started as an operator would, without OB_BANK_ADMIN_KEY.
    const child = spawn(process.execPath, ['--import', 'tsx', bankMain], {
      env: { ...process.env, OB_BANK_PORT: '0', PAYKEY_DATA_DIR: dataDir, OB_BANK_ADMIN_KEY: '', OB_BANK_CLIENTS: JSON.stringify(clients) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          const match = /^MERIDIAN_BANK_READY (http:\/\/\S+)$/m.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`exited before READY: ${out}`)));
      });
      const tpp = new MeridianTestTpp(url, 'none', key);
      const read = await tpp.call('GET', `/domestic-payments/${paymentId}`, { token: await tpp.clientToken() });
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.Data.Status, 'ACSC');
      const again = ((await (await fetch(`${url}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys[0].kid;
      assert.equal(again, kid);
      assert.equal((await fetch(`${url}/admin/accounts`, { headers: { authorization: 'Bearer none' } })).status, 404);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
