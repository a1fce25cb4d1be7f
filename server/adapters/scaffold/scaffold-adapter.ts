/**
 * Writes a new adapter and its conformance test under `root` (the repository by default):
 * `server/adapters/<name>.ts` and `test/adapters/<name>.test.ts`. Imports point at this
 * repository's modules, wherever `root` is, so a scaffold written elsewhere runs too.
 * Refuses to overwrite a file.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterNames } from './adapter-names.ts';
import { renderAdapterFile } from './render-adapter-file.ts';
import { renderAdapterTestFile } from './render-adapter-test-file.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ScaffoldedAdapter {
  adapterFile: string;
  testFile: string;
}

export function scaffoldAdapter(name: string, root: string = repoRoot): ScaffoldedAdapter {
  const names = adapterNames(name);
  const adapterFile = join(root, 'server', 'adapters', `${names.id}.ts`);
  const testFile = join(root, 'test', 'adapters', `${names.id}.test.ts`);
  for (const file of [adapterFile, testFile]) {
    if (existsSync(file)) {
      throw new Error(`new-adapter: expected no file at ${file}, received an existing one; pick another name or delete it`);
    }
  }
  const importPath = (fromFile: string, target: string) => {
    const path = relative(dirname(fromFile), target).split(sep).join('/');
    return path.startsWith('.') ? path : `./${path}`;
  };
  const adapterSource = renderAdapterFile(names, { adapters: importPath(adapterFile, join(repoRoot, 'server', 'adapters')) });
  const testSource = renderAdapterTestFile(names, {
    conformance: importPath(testFile, join(repoRoot, 'test', 'adapters')),
    adapter: importPath(testFile, adapterFile),
  });
  mkdirSync(dirname(adapterFile), { recursive: true });
  mkdirSync(dirname(testFile), { recursive: true });
  writeFileSync(adapterFile, adapterSource);
  writeFileSync(testFile, testSource);
  return { adapterFile, testFile };
}
