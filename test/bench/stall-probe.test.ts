/**
 * `pausesSeenByAll` (stall-probe.ts): which pauses every server saw at once. Pure logic; the probe itself runs in
 * `server-route-profile.ts --stall-probe`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pausesSeenByAll, type StallReport } from './stall-probe.ts';

const report = (wallet: Array<[number, number]>, bank: Array<[number, number]>): StallReport => ({
  servers: [
    { name: 'wallet', probes: 100, slow: wallet.map(([atMs, ms]) => ({ atMs, ms })) },
    { name: 'sandbox bank', probes: 100, slow: bank.map(([atMs, ms]) => ({ atMs, ms })) },
  ],
  ownLoopLagMaxMs: 5,
  iowaitShare: 0.05,
});

test('a pause both servers saw within 50 ms of each other counts once, as the shorter of the two', () => {
  assert.deepEqual(pausesSeenByAll(report([[1000, 300]], [[1030, 250]])), [{ atMs: 1000, ms: 250 }]);
});

test("a pause only one server saw is that server's own, not shared", () => {
  assert.deepEqual(pausesSeenByAll(report([[1000, 300], [5000, 120]], [[1020, 280], [9000, 400]])), [{ atMs: 1000, ms: 280 }]);
  assert.deepEqual(pausesSeenByAll(report([[1000, 300]], [[1100, 300]])), []);
});

test('no servers or no pauses: none shared', () => {
  assert.deepEqual(pausesSeenByAll({ servers: [], ownLoopLagMaxMs: 0, iowaitShare: Number.NaN }), []);
  assert.deepEqual(pausesSeenByAll(report([], [[1000, 300]])), []);
});
