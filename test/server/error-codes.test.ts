/**
 * The one closed set of error codes (`widget/error-codes.ts`) against README "Errors": the table lists exactly its
 * codes, each server code under exactly the statuses the module gives it, the browser's codes in the last row.
 * And the error classes: `PaykeyError` answers with the table's status, `ApiError` accepts only a status the table
 * gives its code (checked by the compiler, below).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ApiError } from '../../server/errors/api-error.ts';
import { PaykeyError } from '../../server/errors/paykey-error.ts';
import { FRAME_ERROR_CODES, SERVER_ERROR_STATUS, isServerErrorCode, type ServerErrorCode } from '../../widget/error-codes.ts';

const README = path.join(import.meta.dirname, '..', '..', 'README.md');
/** The row of the browser's own codes (no HTTP status). */
const BROWSER = 'browser';

/** README "### Errors" table: code → the statuses (or `browser`) of the rows naming it. */
function readmeTable(): Map<string, Set<string>> {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf('\n### Errors\n');
  assert.ok(start >= 0, 'README.md has a "### Errors" section');
  const section = readme.slice(start + 1, readme.indexOf('\n#', start + 2));
  const table = new Map<string, Set<string>>();
  const rows = section.split('\n').filter((line) => line.startsWith('|') && !/^\|\s*(status|---)/.test(line));
  assert.ok(rows.length > 0, 'the Errors section has a table');
  for (const row of rows) {
    const [statusCell, codesCell] = row.split('|').slice(1, 3).map((cell) => cell.trim());
    const status = /^\d{3}$/.test(statusCell) ? statusCell : statusCell.startsWith('—') ? BROWSER : null;
    assert.ok(status, `expected a 3-digit status or "—" in the first cell of README row ${JSON.stringify(row)}, received ${JSON.stringify(statusCell)}`);
    // Codes are the lowercase snake_case names in backticks; descriptions in parentheses may name headers (`Host`).
    for (const [, code] of codesCell.matchAll(/`([a-z][a-z0-9_]*)`/g)) {
      if (!table.has(code)) table.set(code, new Set());
      table.get(code)!.add(status);
    }
  }
  return table;
}

const statusesOf = (code: ServerErrorCode): string[] => [SERVER_ERROR_STATUS[code]].flat().map(String).sort();

describe('error codes', () => {
  const readme = readmeTable();
  const serverCodes = Object.keys(SERVER_ERROR_STATUS) as ServerErrorCode[];
  const moduleCodes = new Set<string>([...serverCodes, ...FRAME_ERROR_CODES]);

  test('README "Errors" lists exactly the codes of widget/error-codes.ts', () => {
    const missing = [...moduleCodes].filter((code) => !readme.has(code));
    const extra = [...readme.keys()].filter((code) => !moduleCodes.has(code));
    assert.deepEqual(
      { missing, extra },
      { missing: [], extra: [] },
      'README.md "### Errors" and widget/error-codes.ts disagree: add each missing code to the README table (under its status), ' +
        'and each extra one to the module (or drop it from the README)',
    );
  });

  test("each server code sits under exactly its statuses, the browser's codes in the browser row only", () => {
    for (const code of serverCodes) {
      assert.deepEqual([...(readme.get(code) ?? [])].sort(), statusesOf(code), `README status of ${code}: expected ${statusesOf(code).join(', ')}`);
    }
    for (const code of FRAME_ERROR_CODES) {
      assert.deepEqual([...(readme.get(code) ?? [])], [BROWSER], `README row of ${code}: expected only the "—" (browser) row`);
      assert.equal(isServerErrorCode(code), false, `${code} is raised in the browser only, so it must not be a server code too`);
    }
  });

  test('PaykeyError answers with the first status of its code, ApiError with the one it was given', () => {
    assert.equal(new PaykeyError('rate_limited', 'Slow down').status, 429);
    assert.equal(new PaykeyError('invalid_request', 'Bad field').status, 422, 'a domain invalid_request is a 422');
    const edge = new ApiError(400, 'invalid_request', 'The request body is not valid JSON');
    assert.equal(edge.status, 400);
    assert.deepEqual(edge.toJSON(), { error: { code: 'invalid_request', message: 'The request body is not valid JSON' } });
    // @ts-expect-error a status the table does not give this code
    void new ApiError(401, 'resource_missing', 'nope');
    // @ts-expect-error a code outside the closed set
    void new PaykeyError('payment_failed', 'nope');
  });

  test('isServerErrorCode narrows only the server\'s own codes', () => {
    assert.equal(isServerErrorCode('card_declined'), true);
    for (const stray of ['http_502', 'toString', 'constructor', 'not_found', '', 42, null]) assert.equal(isServerErrorCode(stray), false, String(stray));
  });
});
