import type { Context } from 'hono';
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The address rate limits count a client by. By default the TCP peer's (a forwarded header is anyone's to
 * write). Behind `trustedProxyHops` proxies that each append the address they received from to
 * `X-Forwarded-For`, the client is that many entries from the right (the last proxy's own peer being the
 * nearest one). IPv4-mapped IPv6 becomes IPv4; other IPv6 addresses count by their /64, the block one
 * subscriber typically holds.
 */
export function clientIp(c: Context, trustedProxyHops: number): string {
  const peer = peerAddress(c);
  if (trustedProxyHops === 0) return rateLimitKeyOf(peer);
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // [peer, nearest forwarded, …, farthest]: the peer is hop 0; each trusted proxy vouches for the next one.
  const chain = [peer, ...forwarded.reverse()];
  const candidate = chain[Math.min(trustedProxyHops, chain.length - 1)];
  return rateLimitKeyOf(isIP(candidate) ? candidate : peer);
}

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // No Node socket (the app called without @hono/node-server): one shared bucket.
    return 'unknown';
  }
}

function rateLimitKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** Eight 16-bit groups, lowercase, no zone. */
function expandIpv6(address: string): string[] {
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((group) => (group.includes('.') ? group : String(parseInt(group, 16).toString(16))));
}
