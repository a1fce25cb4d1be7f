/**
 * Ids must survive the log redactor: it takes any run of 12+ digits that passes Luhn for a card number, so an id
 * that can hold such a run sometimes vanishes from the very log line (or alert) that names it. With hex ids one in
 * a few hundred could; base62 makes a 12-digit run a ~1e-10 event per id.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets } from '../../server/adapters/redact-secrets.ts';
import { randomId } from '../../server/security/secrets.ts';

test('an id is its prefix and 20 base62 characters', () => {
  assert.match(randomId('pi'), /^pi_[0-9A-Za-z]{20}$/);
  assert.match(randomId('evt', 8), /^evt_[0-9A-Za-z]{8}$/);
});

test('10,000 ids and their attempt references pass through the log redactor unchanged', () => {
  for (let i = 0; i < 10_000; i++) {
    const line = `{"event":"payment_requires_review","payment_intent":"${randomId('pi')}","reference":"${randomId('pi')}_1"}`;
    assert.equal(redactSecrets(line), line);
  }
});
