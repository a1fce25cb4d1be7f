/**
 * The command line of each server part run alone (`node --import tsx test/bench/server-bench.ts --payments 300`):
 * sizes from `--flag value`, else an environment variable, else the default; the figures as a small table and JSON.
 */

/** `--payments 300` / `BENCH_PAYMENTS=300` / fallback. */
export function numberOption(flag: string, envName: string, fallback: number, argv = process.argv.slice(2)): number {
  const at = argv.indexOf(`--${flag}`);
  const text = at >= 0 ? argv[at + 1] : process.env[envName];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`bench: expected --${flag} (or ${envName}) to be a number ≥ 0, received ${JSON.stringify(text)}`);
  }
  return value;
}

/** A comma-separated list of numbers, e.g. `--rows 1000,10000`. */
export function numberListOption(flag: string, envName: string, fallback: number[], argv = process.argv.slice(2)): number[] {
  const at = argv.indexOf(`--${flag}`);
  const text = at >= 0 ? argv[at + 1] : process.env[envName];
  if (text === undefined || text === '') return fallback;
  const values = text.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`bench: expected --${flag} (or ${envName}) to be whole numbers separated by commas, received ${JSON.stringify(text)}`);
  return values;
}

/** Two columns, then the figures as one line of JSON. */
export function printFigures(title: string, rows: Array<[string, string]>, figures: unknown): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${title}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  console.log(JSON.stringify(figures));
}

export const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : String(value));

/** Sizes must be whole numbers of at least `min` (a fraction of a payment or zero rounds measures nothing). */
export function assertWhole(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`bench: expected ${what} to be a whole number ≥ ${min}, received ${value}`);
}
