/**
 * `POST /v1/fx-quotes { from, to, amount }`: a firm quote to convert `amount` minor units of `from` into the bank's
 * card currency `to`, good for the profile's `quoteTtlMs`. The rate is an exact decimal and the same rate as an
 * integer ratio of minor units (the currencies' ISO 4217 digits: 1 JPY = 0.047812 CNY is 47812 fen per 10000 yen),
 * and the debit is `convertedAmount` of it, so the wallet and the bank compute the same integer.
 * It exists only for a bank whose profile has an FX desk and a card currency.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { convertedAmount, type FxQuote } from '../../../server/adapters/fx-quote.ts';
import { minorUnitDigits } from '../../../server/payments/money.ts';
import type { BankFxDesk, BankProfile } from '../bank-profile.ts';
import { ApiError } from '../http/api-error.ts';
import { amountSchema, currencySchema } from '../http/money-schema.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import type { FxQuoteRow } from '../ledger/ledger-schema.ts';
import type { Ledger } from '../ledger/open-ledger.ts';
import { newId } from '../new-id.ts';

const quoteRequestSchema = z.strictObject({ from: currencySchema, to: currencySchema, amount: amountSchema });

export function fxQuoteRoutes(ledger: Ledger, now: () => Date, profile: BankProfile): Hono {
  const app = new Hono();
  const { fx, cardCurrency } = profile;
  if (fx && cardCurrency) {
    app.post('/v1/fx-quotes', async (c) => {
      const request = await readJsonBody(c, quoteRequestSchema);
      if (request.to !== cardCurrency) {
        throw new ApiError(422, 'fx_pair_not_supported', `to: expected ${cardCurrency} (the currency of this bank's cards), received ${request.to}`);
      }
      const rate = fx.rates[request.from];
      if (rate === undefined || !Object.hasOwn(fx.rates, request.from)) {
        throw new ApiError(422, 'fx_pair_not_supported', `from: expected one of ${Object.keys(fx.rates).join(', ')}, received ${request.from}`);
      }
      const created = now();
      const ratio = minorUnitRatio(rate, request.from, request.to);
      // The wallet's own rounding rule (half up, integers only), which reads only the ratio.
      const debit = convertedAmount({ ratio } as FxQuote, request.amount);
      if (debit < 1) {
        throw new ApiError(422, 'amount_too_small', `amount: expected one that converts to at least 1 minor unit of ${request.to}, received ${request.amount} ${request.from}`);
      }
      const row: FxQuoteRow = {
        id: newId('fxq'),
        from_currency: request.from,
        to_currency: request.to,
        rate,
        numerator: ratio.numerator,
        denominator: ratio.denominator,
        amount: request.amount,
        debit,
        source: fx.source,
        expires_at: new Date(created.getTime() + fx.quoteTtlMs).toISOString(),
        created_at: created.toISOString(),
      };
      await ledger.insertInto('fx_quotes').values(row).execute();
      return c.json(fxQuoteJson(row), 201);
    });
  }
  return app;
}

export function fxQuoteJson(row: FxQuoteRow) {
  return {
    id: row.id,
    from: row.from_currency,
    to: row.to_currency,
    rate: row.rate,
    ratio: { numerator: row.numerator, denominator: row.denominator },
    source: row.source,
    expires_at: row.expires_at,
    amount: row.amount,
    debit: row.debit,
  };
}

/** "7.1234" units of `to` per unit of `from` → minor units of `to` per minor units of `from`, in lowest terms. */
export function minorUnitRatio(rate: BankFxDesk['rates'][string], from: string, to: string): { numerator: number; denominator: number } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate);
  const [fromDigits, toDigits] = [minorUnitDigits(from), minorUnitDigits(to)];
  if (!match || fromDigits === undefined || toDigits === undefined) {
    throw new TypeError(`minorUnitRatio: expected a decimal rate between two ISO 4217 currencies, received ${JSON.stringify(rate)} ${from}→${to}`);
  }
  const decimals = match[2] ?? '';
  let numerator = BigInt(match[1] + decimals) * 10n ** BigInt(toDigits);
  let denominator = 10n ** BigInt(decimals.length + fromDigits);
  const divisor = gcd(numerator, denominator);
  numerator /= divisor;
  denominator /= divisor;
  return { numerator: Number(numerator), denominator: Number(denominator) };
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}
