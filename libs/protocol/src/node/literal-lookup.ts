/**
 * A `lookup` for dgram sockets that answers IP literals synchronously.
 *
 * Why: an unconnected dgram socket resolves the destination of every single
 * send through `lookup`. Node's default, dns.lookup, answers literals on the
 * next tick, which costs a tick and a closure per datagram and delays the
 * actual send. Our peers are always literals (the core hands back the address
 * a datagram came from), so this takes the shortcut and leaves names to
 * dns.lookup.
 */
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

let lastLiteral = '';
let lastFamily = 0;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

export function literalFirstLookup(
  hostname: string,
  options: LookupOneOptions | number,
  callback: LookupCallback,
): void {
  // Memo of the last literal: isIP runs a regular expression, and every send asks about the same host.
  if (hostname === lastLiteral) {
    callback(null, hostname, lastFamily);
    return;
  }
  const family = isIP(hostname);
  if (family !== 0) {
    lastLiteral = hostname;
    lastFamily = family;
    callback(null, hostname, family);
    return;
  }
  // dgram passes the socket's family as a bare number (4 or 6).
  const lookupOptions: LookupOneOptions = typeof options === 'number' ? { family: options } : options;
  dnsLookup(hostname, lookupOptions, callback);
}
