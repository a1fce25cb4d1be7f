import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports handed out live below the OS's ephemeral range. A port taken from that range (`listen(0)`) is free only
 * until the process it is meant for binds it, seconds later: meanwhile any outgoing connection on the machine may be
 * given it as its local port, and the bind fails with EADDRINUSE (seen in CI: a demo's bank could not listen). Ports
 * below the range are never assigned that way; only another explicit choice could take one.
 */
const [ephemeralLow] = readEphemeralRange();
const LOW = 10_000;
const HIGH = Math.max(LOW + 1_000, ephemeralLow) - 1;
/** Handed out by this process already: never twice, even once closed again. */
const handedOut = new Set<number>();

/** A TCP port on loopback that is free now and outside the ephemeral range (see above). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`freePort: expected a free loopback port between ${LOW} and ${HIGH}, found none in 200 tries`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `net.ipv4.ip_local_port_range`, or Linux's default where it cannot be read. */
function readEphemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low > 1024) return [low, high];
  } catch {
    // Not Linux: the default below.
  }
  return [32_768, 60_999];
}
