/**
 * The key a client's limits are counted under: its IPv4 address, or the /64 network of its IPv6 address (one
 * customer is usually given a whole /64, so counting single IPv6 addresses would hand each attacker 2^64
 * budgets). An IPv4-mapped IPv6 address (::ffff:1.2.3.4, what a dual-stack socket reports) is its IPv4 address.
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 part converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!; // a zone index names an interface, not a client
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16));
}

/** `v4:<address>` or `v6:<first four groups>::/64`; anything else (no address known) is one shared key. */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  if (isIPv4(address)) return `v4:${address}`;
  if (!isIPv6(address)) return 'unknown';
  const g = ipv6Groups(address);
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  if (mapped) return `v4:${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  return `v6:${g
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}
