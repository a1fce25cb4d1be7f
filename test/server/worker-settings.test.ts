/** Pure logic of the workers: retry backoff and the settings read from the environment. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readEnvConfig } from '../../server/config/read-env-config.ts';
import { DEFAULT_WORKER_SETTINGS } from '../../server/config/worker-settings.ts';
import { backoffDelay } from '../../server/jobs/backoff.ts';

describe('backoffDelay', () => {
  const policy = { baseMs: 500, maxMs: 30_000 };

  test('doubles from the base, between half and all of base·2^tries', () => {
    assert.deepEqual([0, 1, 2, 3].map((tries) => backoffDelay(tries, policy, () => 1)), [500, 1000, 2000, 4000]);
    assert.deepEqual([0, 1, 2, 3].map((tries) => backoffDelay(tries, policy, () => 0)), [250, 500, 1000, 2000]);
  });

  test('is capped, whatever the number of tries', () => {
    assert.equal(backoffDelay(10, policy, () => 1), 30_000);
    assert.equal(backoffDelay(10_000, policy, () => 1), 30_000);
  });

  test('is jittered: the same try spreads over a range', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, policy, random)));
    assert.ok(delays.size > 20, `only ${delays.size} distinct delays`);
    for (const delay of delays) assert.ok(delay >= 2000 && delay <= 4000, String(delay));
  });
});

describe('readEnvConfig', () => {
  test('defaults: SQLite in ./.data, the documented worker settings, no metrics', () => {
    const config = readEnvConfig({});
    assert.ok(config.database.dataDir?.endsWith('.data'));
    assert.equal(config.database.databaseUrl, undefined);
    assert.deepEqual(config.workers, DEFAULT_WORKER_SETTINGS);
    assert.equal(config.bank.timeoutMs, 10_000);
    assert.equal(config.metricsToken, undefined);
  });

  test('every timing comes from the environment', () => {
    const config = readEnvConfig({
      DATABASE_URL: 'postgres://u:p@db/paykey',
      PAYKEY_WORKER_POLL_MS: '250',
      PAYKEY_WORKER_CONCURRENCY: '16',
      PAYKEY_UNKNOWN_GRACE_MS: '4000',
      PAYKEY_REVIEW_AFTER_MS: '60000',
      PAYKEY_RETRY_BASE_MS: '100',
      PAYKEY_RETRY_MAX_MS: '2000',
      PAYKEY_BANK_TIMEOUT_MS: '2500',
      PAYKEY_METRICS_TOKEN: 'tok',
      PAYKEY_INSTANCE_ID: 'wallet-a',
    });
    assert.equal(config.database.databaseUrl, 'postgres://u:p@db/paykey');
    assert.deepEqual(
      { ...config.workers },
      { ...DEFAULT_WORKER_SETTINGS, pollMs: 250, concurrency: 16, graceMs: 4000, reviewAfterMs: 60000, retryBaseMs: 100, retryMaxMs: 2000 },
    );
    assert.equal(config.bank.timeoutMs, 2500);
    assert.equal(config.metricsToken, 'tok');
    assert.equal(config.instanceId, 'wallet-a');
  });

  test('a malformed value is one clear error naming the variable, what was expected and what was received', () => {
    assert.throws(() => readEnvConfig({ PAYKEY_RETRY_BASE_MS: '0.5s' }), /PAYKEY_RETRY_BASE_MS: expected a whole number, received "0.5s"/);
    assert.throws(() => readEnvConfig({ PAYKEY_WORKER_CONCURRENCY: '0' }), /PAYKEY_WORKER_CONCURRENCY: expected at least 1, received 0/);
  });
});
