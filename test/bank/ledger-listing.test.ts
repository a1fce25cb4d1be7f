/**
 * The sandbox bank's ledger listing calls (for reconciliation), over real HTTP
 * against a spawned bank process: `GET /v1/charges?created_since=&limit=&starting_after=`
 * and `GET /v1/refunds` (`?reference=` or the same paging).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnSandboxBank, type SpawnedSandboxBank } from '../../demo/bank/spawn-sandbox-bank.ts';

const year = new Date().getUTCFullYear();
let bank: SpawnedSandboxBank;
let dataDir: string;
let approveToken: string;
let declineToken: string;
/** Every charge this file created, in creation order (POST answers). */
const created: Array<Record<string, any>> = [];
let startedAt: string;

interface Answer {
  status: number;
  body: any;
}

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${bank.apiKey}` };
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'idempotency-key': randomUUID() });
  const response = await fetch(`${bank.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const tokenFor = async (number: string) =>
  (await call('POST', '/v1/tokens', { number, exp_month: 12, exp_year: year + 2, cvc: '123', name: 'Ada' })).body.token as string;

async function createCharge(token = approveToken, amount = 1000): Promise<Record<string, any>> {
  const answer = await call('POST', '/v1/charges', { token, amount, currency: 'EUR', reference: `listing-${randomUUID()}` });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

/** All pages of a listing, following starting_after. */
async function allPages(path: string, query: Record<string, string>): Promise<{ pages: Answer[]; rows: Array<Record<string, any>> }> {
  const pages: Answer[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const params = new URLSearchParams({ ...query, ...(startingAfter ? { starting_after: startingAfter } : {}) });
    const page = await call('GET', `${path}?${params}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    pages.push(page);
    if (!page.body.has_more) break;
    startingAfter = page.body.data.at(-1).id;
    assert.ok(pages.length < 100, 'runaway pagination');
  }
  return { pages, rows: pages.flatMap((page) => page.body.data) };
}

function assertValidationError(answer: Answer, pattern: RegExp): void {
  assert.equal(answer.status, 422, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, 'validation_error');
  assert.match(answer.body.error.message, pattern);
}

const ordered = (rows: Array<Record<string, any>>) =>
  rows.every((row, i) => i === 0 || rows[i - 1].created_at < row.created_at || (rows[i - 1].created_at === row.created_at && rows[i - 1].id < row.id));

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'paykey-bank-listing-'));
  bank = await spawnSandboxBank({ dataDir });
  approveToken = await tokenFor('4242424242424242');
  declineToken = await tokenFor('4000000000000002');
  startedAt = new Date(Date.now() - 1).toISOString();
  // 7 one after the other (some declined), then 100 at once: more than the default page.
  for (let i = 0; i < 7; i++) created.push(await createCharge(i % 3 === 1 ? declineToken : approveToken, 100 + i));
  for (let batch = 0; batch < 4; batch++) {
    created.push(...(await Promise.all(Array.from({ length: 25 }, () => createCharge()))));
  }
});
after(async () => {
  await bank?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /v1/charges?created_since=', () => {
  it('pages over more rows than the limit, in creation order, each charge once', async () => {
    const { pages, rows } = await allPages('/v1/charges', { created_since: startedAt, limit: '3' });
    assert.equal(rows.length, created.length);
    assert.deepEqual(pages.map((page) => page.body.data.length), [...Array(35).fill(3), 2]);
    assert.deepEqual(pages.map((page) => page.body.has_more), [...Array(35).fill(true), false]);
    assert.ok(ordered(rows), 'ordered by (created_at, id)');
    // The first 7 were created one after the other: the listing keeps that order, and shows what POST answered.
    assert.deepEqual(rows.slice(0, 7), created.slice(0, 7));
    assert.deepEqual(new Set(rows.map((row) => row.id)), new Set(created.map((row) => row.id)));
    assert.deepEqual(
      rows.slice(0, 7).map((row) => row.status),
      ['approved', 'declined', 'approved', 'approved', 'declined', 'approved', 'approved'],
    );
  });

  it('created_at is an ISO string with ms, strictly increasing even for charges created at once', async () => {
    const { rows } = await allPages('/v1/charges', { created_since: startedAt, limit: '500' });
    for (const row of rows) assert.match(row.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].created_at < rows[i].created_at, `${rows[i - 1].created_at} then ${rows[i].created_at}`);
  });

  it('a limit of 100 by default, has_more when there is more', async () => {
    const first = await call('GET', `/v1/charges?created_since=${startedAt}`);
    assert.equal(first.body.data.length, 100);
    assert.equal(first.body.has_more, true);
    const rest = await call('GET', `/v1/charges?created_since=${startedAt}&starting_after=${first.body.data.at(-1).id}`);
    assert.equal(rest.body.data.length, created.length - 100);
    assert.equal(rest.body.has_more, false);
  });

  it('filters by created_since (inclusive), whatever the zone it is written in', async () => {
    const pivot = created[3];
    const since = await call('GET', `/v1/charges?created_since=${encodeURIComponent(pivot.created_at)}&limit=500`);
    assert.equal(since.body.data[0].id, pivot.id);
    assert.equal(since.body.data.length, created.length - 3);

    // The same instant at +02:00, and 1 µs later (which must leave the pivot out).
    const instant = new Date(pivot.created_at);
    const local = new Date(instant.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    assert.deepEqual((await call('GET', `/v1/charges?created_since=${encodeURIComponent(local)}&limit=500`)).body, since.body);
    const later = pivot.created_at.replace('Z', '001Z');
    assert.equal((await call('GET', `/v1/charges?created_since=${later}&limit=500`)).body.data[0].id, created[4].id);

    assert.deepEqual((await call('GET', `/v1/charges?created_since=${year + 1}-01-01`)).body, { data: [], has_more: false });
    const dateOnly = await call('GET', `/v1/charges?created_since=2000-01-01&limit=500`);
    assert.equal(dateOnly.body.data.length, created.length);
  });

  it('starting_after and created_since combine; past the last row the page is empty', async () => {
    const page = await call('GET', `/v1/charges?created_since=${encodeURIComponent(created[3].created_at)}&starting_after=${created[1].id}&limit=2`);
    assert.deepEqual(page.body, { data: created.slice(3, 5), has_more: true });
    const all = (await call('GET', `/v1/charges?created_since=${startedAt}&limit=500`)).body.data;
    const after = await call('GET', `/v1/charges?created_since=${startedAt}&starting_after=${all.at(-1).id}`);
    assert.deepEqual(after.body, { data: [], has_more: false });
  });

  it('a limit of exactly the rows left says has_more false', async () => {
    const all = (await call('GET', `/v1/charges?created_since=${startedAt}&limit=500`)).body.data;
    const page = await call('GET', `/v1/charges?created_since=${startedAt}&limit=2&starting_after=${all.at(-3).id}`);
    assert.deepEqual(page.body, { data: all.slice(-2), has_more: false });
  });

  it('?reference= still answers { data } alone', async () => {
    const found = await call('GET', `/v1/charges?reference=${created[0].reference}`);
    assert.deepEqual(found.body, { data: [created[0]] });
  });

  for (const [what, query, pattern] of [
    ['neither reference nor created_since', '', /exactly one of the query parameters reference or created_since, received neither/],
    ['only a limit', 'limit=5', /received neither/],
    ['both reference and created_since', 'reference=a&created_since=2020-01-01', /received both/],
    ['limit with reference', 'reference=a&limit=2', /^limit: expected only with created_since/],
    ['starting_after with reference', 'reference=a&starting_after=ch_x', /^starting_after: expected only with created_since/],
    ['limit 0', 'created_since=2020-01-01&limit=0', /^limit: expected an integer from 1 to 500, received "0"/],
    ['limit 501', 'created_since=2020-01-01&limit=501', /received "501"/],
    ['limit abc', 'created_since=2020-01-01&limit=abc', /received "abc"/],
    ['limit 1.5', 'created_since=2020-01-01&limit=1.5', /received "1.5"/],
    ['limit -1', 'created_since=2020-01-01&limit=-1', /received "-1"/],
    ['an empty limit', 'created_since=2020-01-01&limit=', /received ""/],
    ['created_since yesterday', 'created_since=yesterday', /^created_since: expected an ISO 8601 date or date-time with a time zone .*received "yesterday"/],
    ['created_since without a zone', 'created_since=2025-01-31T12:00:00', /\(no time zone\)/],
    ['created_since as a unix time', 'created_since=1700000000', /received "1700000000"/],
    ['created_since 2025-02-30', 'created_since=2025-02-30', /\(no such date\)/],
    ['created_since at 24:00', 'created_since=2025-01-01T24:00:00Z', /\(no such time\)/],
    ['an empty created_since', 'created_since=', /received ""/],
    ['an unknown starting_after', 'created_since=2020-01-01&starting_after=ch_nope', /^starting_after: expected the id of a charge in the ledger, received "ch_nope"/],
    ['an empty reference', 'reference=', /^reference: expected 1 to 200 characters, received 0/],
  ] as const) {
    it(`422 validation_error for ${what}`, async () => {
      assertValidationError(await call('GET', `/v1/charges?${query}`), pattern);
    });
  }
});

describe('GET /v1/refunds', () => {
  let chargeId: string;
  const refunds: Array<Record<string, any>> = [];
  before(async () => {
    chargeId = (await createCharge(approveToken, 5000)).id;
    for (let i = 0; i < 5; i++) {
      const answer = await call('POST', '/v1/refunds', { charge_id: chargeId, amount: 100 + i, currency: 'EUR', reference: `refund-${randomUUID()}` });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      refunds.push(answer.body);
    }
  });

  it('POST answers the refund with created_at', () => {
    assert.deepEqual(Object.keys(refunds[0]).sort(), ['amount', 'charge_id', 'created_at', 'currency', 'id', 'reference', 'status']);
    assert.match(refunds[0].created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('?reference= finds the refund (0 or 1)', async () => {
    assert.deepEqual((await call('GET', `/v1/refunds?reference=${refunds[2].reference}`)).body, { data: [refunds[2]] });
    assert.deepEqual((await call('GET', `/v1/refunds?reference=nope-${randomUUID()}`)).body, { data: [] });
  });

  it('?created_since= pages in creation order', async () => {
    const { pages, rows } = await allPages('/v1/refunds', { created_since: startedAt, limit: '2' });
    assert.deepEqual(rows, refunds);
    assert.deepEqual(pages.map((page) => page.body.has_more), [true, true, false]);
    const since = await call('GET', `/v1/refunds?created_since=${encodeURIComponent(refunds[3].created_at)}`);
    assert.deepEqual(since.body, { data: refunds.slice(3), has_more: false });
  });

  it('422 for bad parameters, and for a charge id as starting_after', async () => {
    assertValidationError(await call('GET', '/v1/refunds'), /received neither/);
    assertValidationError(await call('GET', '/v1/refunds?created_since=2020-01-01&limit=0'), /^limit:/);
    assertValidationError(await call('GET', `/v1/refunds?created_since=2020-01-01&starting_after=${chargeId}`), /^starting_after: expected the id of a refund in the ledger/);
    assertValidationError(await call('GET', `/v1/charges?created_since=2020-01-01&starting_after=${refunds[0].id}`), /^starting_after: expected the id of a charge in the ledger/);
  });

  it('401 without the API key', async () => {
    const response = await fetch(`${bank.url}/v1/refunds?reference=x`);
    assert.equal(response.status, 401);
  });
});
