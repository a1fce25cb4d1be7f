/**
 * What the kernel says about a process (Linux `/proc`): its CPU time and peak resident memory, and how to find the
 * child processes the bench started by their command line (the spawn helpers it reuses do not hand out pids).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` times: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_S = 100;

interface StatFields {
  ppid: number;
  /** utime and stime, in seconds. */
  userS: number;
  systemS: number;
}

/** `/proc/<pid>/stat`, read past the command name (which may hold spaces and parentheses). */
function readStat(pid: number): StatFields | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // Gone.
  }
  // Fields after ")": state(3) ppid(4) … utime(14) stime(15); index 0 here is field 3.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), userS: Number(fields[11]) / CLOCK_TICKS_PER_S, systemS: Number(fields[12]) / CLOCK_TICKS_PER_S };
}

/** The process's argv; empty when it is gone. */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The parent's pid; undefined when the process is gone or not on this machine. */
export function parentPid(pid: number): number | undefined {
  return readStat(pid)?.ppid;
}

/** CPU seconds (user + system) the process has used so far; 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** User and system CPU seconds the process has used so far, apart; 0 when it is gone. */
export function cpuTimes(pid: number): { user: number; system: number } {
  const stat = readStat(pid);
  return { user: stat?.userS ?? 0, system: stat?.systemS ?? 0 };
}

/** The summed CPU seconds of several processes (e.g. the postmaster and all its backends). */
export function cpuSecondsOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/**
 * Bytes the process has caused to be written to storage so far (`write_bytes` of /proc/<pid>/io: what reached the
 * block layer, its SQLite files' pages and logs alike); 0 when it is gone or the kernel does not count it.
 */
export function storageWriteBytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/io`, 'utf8').split('\n').find((l) => l.startsWith('write_bytes:'));
    return line ? Number(line.slice('write_bytes:'.length)) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set size (`VmHWM`) in MiB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`/proc/${pid}/status: expected a VmHWM line, received none`);
  return Number(match[1]) / 1024;
}

function allPids(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** The process and every process below it, at this moment (PostgreSQL's backends come and go). */
export function selfAndDescendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Our child process whose command line holds `argument` and whose environment holds `envEntry` (e.g. `PAYKEY_PORT=1234`). */
export function findChildPid(argument: string, envEntry?: string): number {
  for (const pid of allPids()) {
    if (readStat(pid)?.ppid !== process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(argument)) continue;
      if (envEntry && !readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(envEntry)) continue;
      return pid;
    } catch {
      // It went away while we looked.
    }
  }
  throw new Error(`expected a child process of ${process.pid} running ${argument}${envEntry ? ` with ${envEntry}` : ''}, found none`);
}

/** Busy CPU seconds of the whole machine so far, all cores summed (`/proc/stat`: everything but idle and iowait). */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_S;
}
