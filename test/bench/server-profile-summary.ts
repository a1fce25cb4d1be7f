/**
 * Where a wallet's main thread spent a stretch of time, from the V8 CPU profile it writes at exit
 * (`PAYKEY_WALLET_CPU_PROF=<dir>`, test/chaos/wallet-instance.ts): each sample's time goes to one place — the
 * SQLite COMMIT (the group's fsync included: wall time, not CPU), another SQLite statement, socket writes, idle,
 * garbage collection — or else to the package or server file of the function the sample was in. Only samples inside
 * the window count, so warm-up and start-up do not. Times are the main thread's wall time per request, sampled: a
 * profile inflates them, so compare places with each other, not with the bench's CPU figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A monotonic-clock window in microseconds (`process.hrtime.bigint() / 1000n`, V8's profile clock on Linux). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** The main thread's profile that the wallet process `pid` wrote into `dir` (`CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile`). */
export function readWalletProfile(dir: string, pid: number): CpuProfile {
  const name = readdirSync(dir).find((file) => file.endsWith('.cpuprofile') && file.split('.')[3] === String(pid) && file.split('.')[4] === '0');
  if (!name) throw new Error(`bench: expected the wallet (pid ${pid}) to have written its main thread's CPU profile into ${dir}, found none`);
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as CpuProfile;
}

/** Microseconds of the window per request, by place, largest first. */
export function summariseProfile(profile: CpuProfile, window: ProfileWindow, requests: number): Array<[string, number]> {
  if (!(requests > 0)) throw new RangeError(`bench: expected a positive number of requests, received ${requests}`);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const placeOf = new Map<number, string>();
  const place = (id: number): string => {
    let known = placeOf.get(id);
    if (known === undefined) placeOf.set(id, (known = placeOfSample(id, byId, parentOf)));
    return known;
  };
  const totals = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i];
    if (at < window.fromUs || at > window.toUs) return;
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    totals.set(place(id), (totals.get(place(id)) ?? 0) + us);
  });
  return [...totals].map(([name, us]): [string, number] => [name, us / requests]).sort((a, b) => b[1] - a[1]);
}

function placeOfSample(id: number, byId: Map<number, ProfileNode>, parentOf: Map<number, number>): string {
  const frame = byId.get(id)!.callFrame;
  const special: Record<string, string> = { '(idle)': 'idle', '(garbage collector)': 'garbage collection', '(program)': 'V8 (program)' };
  if (special[frame.functionName]) return special[frame.functionName];
  if (frame.functionName === 'runStatement') {
    for (let up = parentOf.get(id); up !== undefined; up = parentOf.get(up)) {
      const caller = byId.get(up)!.callFrame;
      if (caller.functionName === 'commit' && caller.url.endsWith('sqlite-link.ts')) return 'SQLite COMMIT (fsync included)';
    }
    return 'SQLite statements';
  }
  if (frame.functionName === 'writev' || frame.functionName === 'writeUtf8String' || frame.functionName === 'writeBuffer') return 'socket writes';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (pkg) return `package ${pkg[1]}`;
  const ours = /\/((?:server|widget|demo)\/.*)$/.exec(frame.url);
  if (ours) return ours[1];
  if (frame.url.startsWith('node:')) return `node ${frame.url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  return `native ${frame.functionName || '(anonymous)'}`;
}
