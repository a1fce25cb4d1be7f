/**
 * What each part of `npm run bench` measures, as the orchestrator (`test/bench/main.ts`) receives it. Every part runs
 * in the same invocation on the same machine, so the ratios compare like with like; absolute figures are printed for
 * the record only. Byte counts are bytes; times are milliseconds; rates are per second.
 */

/** One response the browser received before `paykey-ready`. */
export interface WireRow {
  url: string;
  /** Body bytes as they came over the network (compressed as served). */
  wire: number;
  /** The decoded body, gzip -9'd (reference). */
  gzip: number;
}

export interface PeerWeight {
  /** e.g. `@adyen/adyen-web 6.x: AdyenCheckout + Card + CSS`. */
  name: string;
  /** Bytes on the wire when served by the same server, loaded by the same browser. */
  wire: number;
  gzip: number;
  requests: number;
}

export interface WeightFigures {
  /** Everything from the wallet's origin before `paykey-ready` on the merchant page: loader, frame page, chunks, API data. */
  wireBytes: number;
  gzipBytes: number;
  requests: number;
  rows: WireRow[];
  adyen: PeerWeight;
  braintree: PeerWeight;
  /** peer wire / our wire. */
  adyenRatio: number;
  braintreeRatio: number;
  /** Added by the weight bench: what the frame started or loaded after it posted `ready` (paths; not counted). */
  afterReady?: string[];
}

export interface ReadyFigures {
  loads: number;
  coldMs: number;
  warmMs: number;
  blankColdMs: number;
  blankWarmMs: number;
  /** coldMs / blankColdMs. */
  ratioCold: number;
  ratioWarm: number;
  /** Added by the ready bench: warm, the blank page at a new URL each load (over the network, as the no-store frame page is). */
  blankWarmRefetchMs?: number;
  /** Added by the ready bench: the floor frame (loaded, init, the checkout's request, ready; no module), cold and warm. */
  floorColdMs?: number;
  floorWarmMs?: number;
}

export interface ServerFigures {
  shoppers: number;
  bankLatencyMs: number;
  payments: number;
  confirmPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Bare `verifyAuthenticationResponse`, one at a time, same process kind. */
  verifyPerS: number;
  /** Bare ES256 `crypto.verify` of the same signature. */
  cryptoVerifyPerS: number;
  /** confirmPerS / verifyPerS. */
  confirmVsVerify: number;
  createPerS: number;
  notFoundPerS: number;
  /** createPerS / notFoundPerS. */
  createVs404: number;
  peakRssMb: number;
  /** The wallet's SQLite work per timed payment (its `/metrics` counters over the payment rounds), when it exposed them. */
  sqlitePerPayment?: SqliteWorkPerPayment;
  /** CPU time (user + system) per timed payment of each process taking part, and what they allow on this machine. */
  cpuPerPayment: CpuPerPayment;
}

/**
 * What one full payment costs each process on the machine's cores, from /proc over the payment rounds: the wallet, the
 * sandbox bank (one charge per payment) and this bench process (the shoppers: HTTP client and software passkey).
 */
export interface CpuPerPayment {
  walletMs: number;
  bankMs: number;
  loadGeneratorMs: number;
  /** The cores the machine has (`os.availableParallelism()`). */
  cores: number;
  /** cores / (wallet + bank + load generator): the most payments per second these costs allow with every core busy. */
  ceilingPerS: number;
}

export interface GrowthFigures {
  points: { historyRows: number; confirmPerS: number }[];
  /** confirm rate at 100k rows / at 1k. */
  growth100k: number;
}

export interface PostgresRun {
  instances: 1 | 2;
  confirmPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Share of the run's wall time each process spent on a CPU (1.0 = one core), from /proc. */
  cpu: { process: string; share: number }[];
  lost: number;
  doubled: number;
  /** Lock waits observed on the hot path (pg_locks not granted, sampled during the run). */
  lockWaits: number;
}

export interface PostgresFigures {
  runs: PostgresRun[];
}

export interface BenchFigures {
  weight: WeightFigures;
  ready: ReadyFigures;
  server: ServerFigures;
  growth: GrowthFigures;
  postgres: PostgresFigures;
}

/** What one full payment cost the wallet's SQLite connections, averaged over the timed payments. */
export interface SqliteWorkPerPayment {
  /** SQL statements run (transaction control not counted). */
  statements: number;
  /** Logical transactions and single writes (members of group commits). */
  transactions: number;
  /** Real COMMITs that reached the disk (one fsync each). */
  commits: number;
  /** transactions / commits over the same payments: how many shared one fsync. */
  transactionsPerCommit: number;
}
