/**
 * What `npm run bench` prints and writes: one table of every figure measured in the run with its target from issue 7
 * (✓/✗), the machine facts, what each figure means and how it was measured (BENCHMARKS.md), and the last line of
 * `key=value` figures. Parts that did not run (`--only`) show as "not run".
 */
import type { BenchFigures } from './figures.ts';

export type Part = keyof BenchFigures;
export const PARTS: readonly Part[] = ['weight', 'ready', 'server', 'growth', 'postgres'];

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  node: string;
  chromium: string | null;
  date: string;
  commit: string;
  /** Wall time of the whole run, seconds. */
  seconds: number;
}

const KB = 1024;
/** Issue 7's targets, each over figures of one run. */
const TARGETS = {
  wireBytes: 15 * KB,
  adyenRatio: 7.5,
  braintreeRatio: 8.5,
  readyRatio: 1.5,
  confirmVsVerify: 0.3,
  p99OverBankMs: 50,
  createVs404: 0.5,
  growth100k: 0.95,
} as const;

type Row = [figure: string, value: string, target: string, verdict: string];

const n = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
const bytes = (b: number) => `${b.toLocaleString('en-US')} B (${n(b / KB, 2)} KB)`;
const pct = (r: number) => `${n(r * 100)} %`;
const mark = (ok: boolean) => (ok ? '✓' : '✗');

function rows(f: Partial<BenchFigures>): Row[] {
  const out: Row[] = [];
  const w = f.weight;
  if (w) {
    out.push(['**Weight** — wallet, new shopper (en), before `paykey-ready`, all requests', '', '', '']);
    for (const r of w.rows) out.push([`  ${r.url.replace(/\?.*/, '')}`, `${r.wire.toLocaleString('en-US')} B wire, ${r.gzip.toLocaleString('en-US')} B gzip -9`, '', '']);
    for (const url of w.afterReady ?? []) out.push([`  after ready, not counted: ${url}`, '', '', '']);
    out.push(['wallet bytes on the wire', `${bytes(w.wireBytes)} in ${w.requests} requests`, `≤ ${TARGETS.wireBytes / KB} KB`, mark(w.wireBytes <= TARGETS.wireBytes)]);
    out.push(['wallet, gzip -9 (reference)', bytes(w.gzipBytes), '', '']);
    out.push([w.adyen.name, `${bytes(w.adyen.wire)} wire, ${bytes(w.adyen.gzip)} gzip -9, ${w.adyen.requests} requests`, '', '']);
    out.push([w.braintree.name, `${bytes(w.braintree.wire)} wire, ${bytes(w.braintree.gzip)} gzip -9, ${w.braintree.requests} requests`, '', '']);
    out.push(['Adyen / wallet, on the wire', `${n(w.adyenRatio, 2)}×`, `≥ ${TARGETS.adyenRatio}×`, mark(w.adyenRatio >= TARGETS.adyenRatio)]);
    out.push(['Braintree / wallet, on the wire', `${n(w.braintreeRatio, 2)}×`, `≥ ${TARGETS.braintreeRatio}×`, mark(w.braintreeRatio >= TARGETS.braintreeRatio)]);
    out.push(['Adyen / wallet, gzip -9', `${n(w.adyen.gzip / w.gzipBytes, 2)}×`, '', '']);
    out.push(['Braintree / wallet, gzip -9', `${n(w.braintree.gzip / w.gzipBytes, 2)}×`, '', '']);
  }
  const r = f.ready;
  if (r) {
    out.push([`**Time to ready** — medians of ${r.loads} loads each`, '', '', '']);
    out.push(['cold: `<paykey-checkout>` / blank iframe', `${n(r.coldMs)} ms / ${n(r.blankColdMs)} ms`, '', '']);
    out.push(['cold ratio', `${n(r.ratioCold, 2)}×`, `≤ ${TARGETS.readyRatio}×`, mark(r.ratioCold <= TARGETS.readyRatio)]);
    out.push(['warm: `<paykey-checkout>` / blank iframe', `${n(r.warmMs)} ms / ${n(r.blankWarmMs)} ms`, '', '']);
    out.push(['warm ratio', `${n(r.ratioWarm, 2)}×`, `≤ ${TARGETS.readyRatio}×`, mark(r.ratioWarm <= TARGETS.readyRatio)]);
    if (r.blankWarmRefetchMs !== undefined) out.push(['warm blank at a new URL (refetched; for the record)', `${n(r.blankWarmRefetchMs)} ms (paykey ${n(r.warmMs / r.blankWarmRefetchMs, 2)}× it)`, '', '']);
    if (r.floorColdMs !== undefined && r.floorWarmMs !== undefined) {
      const floor = (paykeyMs: number, floorMs: number, blankMs: number) => `${n(floorMs)} ms: ${n(floorMs / blankMs, 2)}× the blank; paykey ${n(paykeyMs / floorMs, 2)}× it`;
      out.push(['floor frame, cold (loaded, init, the checkout, ready; no module; for the record)', floor(r.coldMs, r.floorColdMs, r.blankColdMs), '', '']);
      out.push(['floor frame, warm (refetched, as the frame page is; for the record)', floor(r.warmMs, r.floorWarmMs, r.blankWarmMs), '', '']);
    }
  }
  const s = f.server;
  if (s) {
    out.push([`**Server** — SQLite, ${s.shoppers} shoppers, bank +${s.bankLatencyMs} ms per call, ${s.payments} timed payments`, '', '', '']);
    out.push(['full payments/s (p50 / p99)', `${n(s.confirmPerS)}/s (${n(s.p50Ms)} / ${n(s.p99Ms)} ms)`, '', '']);
    out.push(['bare verifyAuthenticationResponse/s; bare ES256 crypto.verify/s', `${n(s.verifyPerS)}/s; ${n(s.cryptoVerifyPerS)}/s`, '', '']);
    out.push(['payments / bare verify', pct(s.confirmVsVerify), `≥ ${pct(TARGETS.confirmVsVerify)}`, mark(s.confirmVsVerify >= TARGETS.confirmVsVerify)]);
    out.push(['p99 of a full payment', `${n(s.p99Ms)} ms`, `≤ ${TARGETS.p99OverBankMs} ms + bank (${TARGETS.p99OverBankMs + s.bankLatencyMs} ms)`, mark(s.p99Ms <= TARGETS.p99OverBankMs + s.bankLatencyMs)]);
    const c = s.cpuPerPayment;
    out.push(['CPU per payment: wallet / sandbox bank / load generator (this process)', `${n(c.walletMs, 2)} / ${n(c.bankMs, 2)} / ${n(c.loadGeneratorMs, 2)} ms`, '', '']);
    out.push([`most payments/s those allow on ${c.cores} cores (all busy) / bare verify`, `${n(c.ceilingPerS)}/s = ${pct(c.ceilingPerS / s.verifyPerS)}`, '', '']);
    out.push(['intents created/s; 404 route/s', `${n(s.createPerS)}/s; ${n(s.notFoundPerS)}/s`, '', '']);
    out.push(['create / 404', pct(s.createVs404), `≥ ${pct(TARGETS.createVs404)}`, mark(s.createVs404 >= TARGETS.createVs404)]);
    out.push(['wallet peak RSS', `${n(s.peakRssMb)} MiB`, '', '']);
  }
  const g = f.growth;
  if (g) {
    out.push(['**Growth** — full payments/s with rows of history (SQLite)', '', '', '']);
    for (const p of g.points) out.push([`  ${p.historyRows.toLocaleString('en-US')} rows`, `${n(p.confirmPerS)}/s`, '', '']);
    out.push(['100k rows / 1k rows', pct(g.growth100k), `≥ ${pct(TARGETS.growth100k)}`, mark(g.growth100k >= TARGETS.growth100k)]);
  }
  const pg = f.postgres;
  if (pg) {
    out.push(['**PostgreSQL** — the confirmation benchmark', '', '', '']);
    for (const run of pg.runs) {
      const cpu = run.cpu.map((c) => `${c.process} ${n(c.share, 2)}`).join(', ');
      out.push([`  ${run.instances} wallet instance${run.instances > 1 ? 's' : ''}`, `${n(run.confirmPerS)}/s (p50 ${n(run.p50Ms)} / p99 ${n(run.p99Ms)} ms); CPU: ${cpu}`, '', '']);
      const clean = run.lost === 0 && run.doubled === 0 && run.lockWaits === 0;
      out.push([`  lost / doubled / lock waits (${run.instances})`, `${run.lost} / ${run.doubled} / ${run.lockWaits}`, '0 / 0 / 0', mark(clean)]);
    }
  }
  return out;
}

/** A Markdown table; readable as it is on a terminal too. */
export function renderTable(f: Partial<BenchFigures>): string {
  const body = rows(f);
  const head: Row = ['figure', 'measured', 'target (issue 7)', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: Row) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const missing = PARTS.filter((p) => !f[p]);
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line), ...(missing.length ? ['', `Not run: ${missing.join(', ')}.`] : [])].join('\n');
}

/** The run's last line: every headline figure as `key=value` (`n/a` for a part that did not run). */
export function lastLine(f: Partial<BenchFigures>): string {
  const v = (value: number | undefined, digits: number) => (value === undefined ? 'n/a' : n(value, digits));
  return [
    `wire_bytes=${f.weight ? f.weight.wireBytes : 'n/a'}`,
    `adyen_ratio=${v(f.weight?.adyenRatio, 2)}`,
    `braintree_ratio=${v(f.weight?.braintreeRatio, 2)}`,
    `ready_ratio_cold=${v(f.ready?.ratioCold, 2)}`,
    `ready_ratio_warm=${v(f.ready?.ratioWarm, 2)}`,
    `confirm_per_s=${v(f.server?.confirmPerS, 1)}`,
    `confirm_vs_verify=${v(f.server?.confirmVsVerify, 3)}`,
    `create_vs_404=${v(f.server?.createVs404, 3)}`,
    `growth_100k=${v(f.growth?.growth100k, 3)}`,
  ].join(' ');
}

const METHOD = `## What each figure is and how it is measured

All parts run in one invocation on one machine, so each ratio compares figures taken minutes apart under the same
conditions. Absolute figures depend on the machine and on what else runs on it; the ratios are the result.

**Weight** (\`test/bench/weight-bench.ts\`). The demo stack (\`demo/start.ts\`: the wallet serving the fresh \`vite build\`,
its sandbox banks) and a merchant page from the bench's own server on \`127.0.0.1\` — another site than the wallet on
\`localhost\` — with the wallet's \`/paykey.js\` in its head. Headless Chromium (\`test/support/chromium.ts\`), a fresh
context (empty HTTP cache, no storage), a new payment intent, \`<paykey-checkout locale="en">\` inserted: every response
from the wallet's origin up to \`paykey-ready\` is counted — on the merchant page, what finished before the event; in
the frame, its document and what its Resource Timing listed when it posted \`ready\` (the same cut as
\`test/frame-weight.ts\`): loader, frame page, scripts, stylesheets and the frame's \`/api/frame/*\` data. *Wire* is the
body as it came over the network (Chromium's encoded body size, compressed as served); *gzip -9* is the decoded body
gzip -9'd, for reference. The peers are bundled in the same run by the widget's own bundler and minifier (Vite 8 /
Rolldown, \`minify: true\`, target es2022, tree-shaken, dynamic imports inlined: one script and one stylesheet each) from
\`test/bench/peers/\`: \`AdyenCheckout\` + \`Card\` + \`adyen.css\` from \`@adyen/adyen-web\`, and \`braintree-web-drop-in\` +
\`dropin.css\`. The bench's server serves them with the wallet's own code (\`server/http/compressed-asset.ts\`: brotli
q11 or gzip 9 as \`Accept-Encoding\` prefers), the same Chromium loads each from a page in a fresh context, and their
bodies are counted the same way. What the peers fetch from their own CDNs at run time (Adyen's secured-field iframes,
Braintree's hosted fields) is not counted: only the bundle a merchant ships. Ratio = peer wire bytes / wallet wire bytes.

**Time to ready** (\`test/bench/ready-bench.ts\`). On the same merchant page, once the loader has defined
\`<paykey-checkout>\`, the page's own \`performance.now()\` times inserting \`<paykey-checkout client-secret locale="en">\` (a
new payment intent each time) up to its \`paykey-ready\` event, and, as the floor, inserting an iframe of a blank page
served by the same wallet server (a tiny HTML file placed in the build's \`assets/\` for the run, served by the wallet's
own asset route, posting a message to its parent on \`load\`) up to that message. Cold: each load in a fresh context.
Warm: one context, the merchant page reloaded before each load, after one unmeasured load of each. Paykey and blank
loads (and the floor frame's) take turns going first, so drift affects them alike. Medians; ratio = paykey / blank. The blank page is
served immutable, so warm it comes from the HTTP cache; the frame page is \`no-store\`. For the record the warm loads
also time the blank page at a new URL each time (fetched over the network), and both cold and warm time the floor
frame: a second tiny page placed the same way that does every step the architecture fixes for the wallet frame and
nothing else (says \`loaded\`, takes the \`init\` the merchant page sends it as the loader would, asks for that client
secret's checkout, shows the start of the answer, says \`ready\`; no module, no first screen), at a new URL each load.
Paykey over the floor frame is what the wallet's own module and first screen cost.

**Server** (\`test/bench/server-bench.ts\`). The wallet in its own process on SQLite, the sandbox bank in its own process
with a fixed latency per call, 16 concurrent shoppers from the bench process over real HTTP with software passkeys: full
payments (challenge → signed assertion → verify → bank charge) per second and their p50/p99, next to the bare
\`verifyAuthenticationResponse\` (one at a time) and bare ES256 \`crypto.verify\` rates measured in the same run; intent
creation next to the server's own 404 route (8,000 of each); the wallet's peak RSS. Every path is warmed up first, in
every process, as a server that has been up a while has it: 6,000 404s and as many creates, 1,000 payments, 1,000
verifications (the 404 route runs 2–4× faster after its first few thousand requests than in them, creation less, so a
cold run puts creation near half the 404 rate and a warm one near a third). Any lost or doubled charge fails the run. Over the
timed payments it also reads from /proc the CPU time (user + system) of the wallet, the sandbox bank and the bench
process itself (the shoppers: HTTP client and software passkey), per payment: all three share this machine's cores, so
the cores divided by their sum is the most payments per second the machine could run at those costs, which the row
after them puts next to the bare verify rate.

**Growth** (\`test/bench/growth-bench.ts\`). The same confirmations on a fresh SQLite database seeded with 1k, 10k and 100k
past paid payments, the three wallets side by side: 1,800 timed payments each, in 12 rounds of 150 that take turns
between the sizes (a round lasts under a second and its rate moves by about ±10 % with the machine); the rate at 100k
over the rate at 1k.

**PostgreSQL** (\`test/bench/postgres-bench.ts\`). The confirmation benchmark on PostgreSQL with one and two wallet
instances, each process's CPU share over the run from /proc (1.0 = one core), lost and doubled payments, and lock waits
sampled on the hot path. On a 2-core machine the load generator, the database, the bank and the wallets share the cores.`;

export function renderBenchmarksMd(f: BenchFigures, facts: MachineFacts): string {
  return `# Benchmarks

Written by \`npm run bench\` (\`test/bench/main.ts\`); do not edit by hand. Reproduce with \`npm run bench\`.

Machine: ${facts.cores} cores (${facts.cpuModel}), Node ${facts.node}, Chromium ${facts.chromium ?? 'n/a'}. Run ${facts.date}
at commit ${facts.commit}, ${n(facts.seconds, 0)} s.

${renderTable(f)}

\`\`\`
${lastLine(f)}
\`\`\`

${METHOD}
`;
}
