/**
 * The server benchmark, small: real wallet and bank processes, real payments. It must finish with every payment
 * charged exactly once (it throws otherwise), and its figures must hang together: a payment takes at least the bank's
 * fixed latency (one charge call), the ratios are the quotients of the rates they name, and verification outpaces
 * full payments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runServerBench } from './server-bench.ts';

test('runServerBench: 24 timed payments by 4 shoppers, charged once each, with consistent figures', { timeout: 240_000 }, async () => {
  const f = await runServerBench({ payments: 24, warmup: 4, requestWarmup: 20, shoppers: 4, bankLatencyMs: 25, creates: 40, notFoundRequests: 40, verifyMs: 200, rounds: 2, log: () => {} });
  assert.equal(f.payments, 24);
  assert.equal(f.shoppers, 4);
  assert.equal(f.bankLatencyMs, 25);
  assert.ok(f.p50Ms >= 25, `p50 ${f.p50Ms} ms should include the bank's 25 ms`);
  assert.ok(f.p99Ms >= f.p50Ms);
  for (const key of ['confirmPerS', 'verifyPerS', 'cryptoVerifyPerS', 'createPerS', 'notFoundPerS', 'peakRssMb'] as const) {
    assert.ok(Number.isFinite(f[key]) && f[key] > 0, `${key} = ${f[key]}`);
  }
  assert.ok(f.verifyPerS > f.confirmPerS, 'a bare verification is a fraction of a full payment');
  assert.equal(f.confirmVsVerify, f.confirmPerS / f.verifyPerS);
  assert.equal(f.createVs404, f.createPerS / f.notFoundPerS);
  // The SQLite work of a payment, from the wallet's own counters: a payment writes in several transactions, and
  // no commit carries less than one of them.
  const work = f.sqlitePerPayment;
  assert.ok(work, 'the wallet exposed its SQLite counters on /metrics');
  assert.ok(work.statements > work.transactions && work.transactions >= 3, JSON.stringify(work));
  assert.ok(work.commits > 0 && work.commits <= work.transactions && work.transactionsPerCommit >= 1, JSON.stringify(work));
  // Every process took part in every payment, and the ceiling is the cores over their summed cost.
  const cpu = f.cpuPerPayment;
  assert.ok(cpu.walletMs > 0 && cpu.bankMs > 0 && cpu.loadGeneratorMs > 0, JSON.stringify(cpu));
  assert.ok(cpu.walletMs > 1000 / f.verifyPerS, `the wallet verifies each payment: ${cpu.walletMs} ms > one bare verify ${1000 / f.verifyPerS} ms`);
  assert.ok(Math.abs(cpu.ceilingPerS - (cpu.cores * 1000) / (cpu.walletMs + cpu.bankMs + cpu.loadGeneratorMs)) < 1e-9, JSON.stringify(cpu));
});
