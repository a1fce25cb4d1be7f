/**
 * The query of the ledger listing calls (`GET /v1/charges`, `GET /v1/refunds`):
 * exactly one of `reference` (a lookup: 0 or 1 rows) or `created_since` (a page
 * in (created_at, id) order, with `limit` and `starting_after`).
 */
import type { Context } from 'hono';
import { ApiError } from './api-error.ts';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 500;

export type ListQuery =
  | { by: 'reference'; reference: string }
  | { by: 'created_since'; createdSince: string; limit: number; startingAfter: string | null };

const invalid = (message: string) => new ApiError(422, 'validation_error', message);

export function parseListQuery(c: Context, idName: 'charge' | 'refund'): ListQuery {
  const reference = c.req.query('reference');
  const createdSince = c.req.query('created_since');
  const limit = c.req.query('limit');
  const startingAfter = c.req.query('starting_after');

  if ((reference === undefined) === (createdSince === undefined)) {
    throw invalid(
      `expected exactly one of the query parameters reference or created_since, received ${reference === undefined ? 'neither' : 'both'}`,
    );
  }
  if (reference !== undefined) {
    const extra = [limit === undefined ? '' : 'limit', startingAfter === undefined ? '' : 'starting_after'].filter(Boolean);
    if (extra.length > 0) throw invalid(`${extra.join(' and ')}: expected only with created_since, received with reference`);
    if (reference.length < 1 || reference.length > 200) {
      throw invalid(`reference: expected 1 to 200 characters, received ${reference.length}`);
    }
    return { by: 'reference', reference };
  }

  let pageSize = DEFAULT_LIST_LIMIT;
  if (limit !== undefined) {
    pageSize = /^\d{1,4}$/.test(limit) ? Number(limit) : Number.NaN;
    if (!(pageSize >= 1 && pageSize <= MAX_LIST_LIMIT)) {
      throw invalid(`limit: expected an integer from 1 to ${MAX_LIST_LIMIT}, received ${describe(limit)}`);
    }
  }
  if (startingAfter !== undefined && (startingAfter.length < 1 || startingAfter.length > 100)) {
    throw invalid(`starting_after: expected a ${idName} id of 1 to 100 characters, received ${startingAfter.length} characters`);
  }
  return { by: 'created_since', createdSince: parseTimestamp(createdSince!), limit: pageSize, startingAfter: startingAfter ?? null };
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))?)?$/;

/**
 * An ISO 8601 date (`2025-01-31`, UTC midnight) or date-time with a zone
 * (`2025-01-31T12:00:00Z`, `…:00.123+01:00`) → the `toISOString()` form the
 * ledger stores, so the two compare as strings. Fractions beyond ms round up
 * ("since" must not take in an earlier row).
 */
export function parseTimestamp(text: string): string {
  const fail = (why: string) =>
    invalid(`created_since: expected an ISO 8601 date or date-time with a time zone (e.g. 2025-01-31T12:00:00Z), received ${describe(text)}${why}`);
  const match = ISO_8601.exec(text);
  if (!match) throw fail('');
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone, sign, zoneHours = '00', zoneMinutes = '00'] = match;
  if (match[4] !== undefined && zone === undefined) throw fail(' (no time zone)');
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) throw fail(' (no such date)');
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(zoneHours) > 23 || Number(zoneMinutes) > 59) {
    throw fail(' (no such time)');
  }
  const ms = Math.ceil(Number(fraction.padEnd(9, '0')) / 1e6);
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  date.setUTCHours(Number(hour), Number(minute) - offsetMinutes, Number(second), ms);
  const iso = date.toISOString();
  if (!/^\d{4}-/.test(iso)) throw fail(' (outside the years 0000 to 9999 in UTC)');
  return iso;
}

function describe(value: string): string {
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}..."` : json;
}
