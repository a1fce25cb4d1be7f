/**
 * `npm run new-adapter -- <name> [--root <dir>]`: scaffolds a bank adapter and its
 * conformance test (see scaffold-adapter.ts), then says what to do next.
 */
import { relative } from 'node:path';
import { scaffoldAdapter } from './scaffold-adapter.ts';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? args.splice(rootAt, 2)[1] : undefined;
if (args.length !== 1 || (rootAt >= 0 && !root)) {
  console.error(`usage: npm run new-adapter -- <kebab-case-bank-name> [--root <dir>]; received ${JSON.stringify(process.argv.slice(2))}`);
  process.exit(2);
}

try {
  const { adapterFile, testFile } = scaffoldAdapter(args[0], root);
  const shown = (file: string) => relative(process.cwd(), file);
  console.log(`wrote ${shown(adapterFile)}\nwrote ${shown(testFile)}`);
  console.log(`next: node --import tsx --test ${shown(testFile)}   (shape checks now; set the sandbox URL and key for the rest — docs/adapters.md)`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
