/**
 * Peer addresses as the core sees them: opaque strings. For UDP they are
 * "host:port" for IPv4 and "[host]:port" for IPv6, so that a colon inside an
 * IPv6 address can never be mistaken for the port separator.
 */
import type { PeerAddress } from '../core/types';

export interface UdpPeer {
  host: string;
  port: number;
}

/** "127.0.0.1:5000", "[::1]:5000". Any host containing ':' is bracketed. */
export function formatPeerAddress(host: string, port: number): PeerAddress {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Splits a peer address into host and port, or returns undefined when it is
 * not one we would have produced (no port, port out of range, an unbracketed
 * IPv6 address). Never throws: a bad address coming out of the core is
 * counted by the driver, not fatal.
 */
export function parsePeerAddress(peer: PeerAddress): UdpPeer | undefined {
  let host: string;
  let portText: string;
  if (peer.startsWith('[')) {
    const close = peer.indexOf(']');
    if (close < 2 || peer.charCodeAt(close + 1) !== 58 /* ':' */) return undefined;
    host = peer.slice(1, close);
    portText = peer.slice(close + 2);
  } else {
    const colon = peer.lastIndexOf(':');
    // An unbracketed host with a colon is an IPv6 address without a port, or ambiguous.
    if (colon < 1 || peer.indexOf(':') !== colon) return undefined;
    host = peer.slice(0, colon);
    portText = peer.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port < 1 || port > 65535) return undefined;
  return { host, port };
}
