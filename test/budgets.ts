/**
 * The built widget file by file (run after `vite build`), read from disk — a quick look before the browser measures it:
 * - the loader `dist/widget/paykey.js`, gzip level 9, against its budget (≤ 3 KB; one file, so disk = download);
 * - what `frame.html` references and imports statically (transitively): the frame's entry, printed without a budget;
 * - every other script and stylesheet of the build, printed without a budget.
 * The frame's first-screen weight (what a browser downloads before `paykey-ready`, dynamic imports included, in each
 * first screen) is measured and enforced by `test/frame-weight.ts`, which `npm test` runs next.
 * Exits 1 when the loader exceeds its budget or the build is missing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist', 'widget');
const KB = 1024;
const budgets = { loader: 3 * KB };
const targets = { loader: 1.5 * KB };

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

function read(url: string): Buffer {
  const file = join(dist, url.replace(/^\//, ''));
  if (!existsSync(file)) throw new Error(`missing ${file}: run \`npx vite build\` first`);
  return readFileSync(file);
}

/** URLs (site-absolute) of the scripts and stylesheets frame.html loads. */
function htmlEntries(html: string): string[] {
  const urls: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const src = /\b(?:src|href)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (!src) continue;
    if (/^<link/i.test(tag) && !/\brel\s*=\s*["']?(stylesheet|modulepreload)/i.test(tag)) continue;
    urls.push(src);
  }
  return urls;
}

/** Static import specifiers of a (minified) ES module: `import … from "x"`, `import "x"`, `export … from "x"`. */
function staticImports(code: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|[;{}\s)])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+)["']/g;
  for (let m; (m = re.exec(code)); ) specs.push(m[1]);
  return specs;
}

function frameFiles(): string[] {
  const seen = new Set<string>();
  const queue = htmlEntries(read('frame.html').toString('utf8')).map((u) => posix.normalize(new URL(u, 'http://x/frame.html').pathname));
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    if (!url.endsWith('.js')) continue;
    for (const spec of staticImports(read(url).toString('utf8'))) {
      queue.push(posix.normalize(posix.join(dirname(url), spec)));
    }
  }
  return [...seen];
}

function main() {
  const rows: string[][] = [];
  const kb = (n: number) => `${n} (${(n / KB).toFixed(2)} KB)`;
  const list = (label: string, files: string[]) => {
    const sizes = files.map((f) => ({ f, raw: read(f).length, gzip: gz(read(f)) }));
    for (const s of sizes) rows.push([`  ${s.f}`, `${s.raw}`, `${s.gzip}`, '', '']);
    const total = sizes.reduce((a, s) => a + s.gzip, 0);
    rows.push([label, `${sizes.reduce((a, s) => a + s.raw, 0)}`, kb(total), '—', '']);
    return total;
  };
  const loader = gz(read('/paykey.js'));
  const loaderOk = loader <= budgets.loader;
  rows.push(['loader paykey.js', `${read('/paykey.js').length}`, kb(loader), `${budgets.loader / KB} KB (aim ${targets.loader / KB} KB)`, loaderOk ? 'ok' : 'OVER BUDGET']);
  const entry = frameFiles();
  list('frame entry (static imports; first screens: test/frame-weight.ts)', entry);
  const rest = readdirSync(join(dist, 'assets'))
    .map((f) => `/assets/${f}`)
    .filter((f) => /\.(js|css)$/.test(f) && !entry.includes(f));
  list('dynamic imports (some load before ready: see test/frame-weight.ts)', rest);
  const head = ['what (on disk)', 'raw bytes', 'gzip -9 bytes', 'budget', 'status'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log([line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
  if (!loaderOk) {
    console.error('\nweight budget exceeded: the loader');
    process.exit(1);
  }
}

try {
  main();
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
