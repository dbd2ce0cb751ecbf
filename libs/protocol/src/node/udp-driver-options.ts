/**
 * Options of the UDP driver, their defaults and their validation. The
 * defaults were measured on loopback (see tools/bench-protocol): they carry
 * 100k+ datagrams/s between two processes without an unbounded queue.
 */
import { monotonicNow } from './monotonic-clock';

export type UdpSocketFamily = 'udp4' | 'udp6';

export interface UdpEndpointDriverOptions {
  /** Socket family. Default 'udp4'. */
  type?: UdpSocketFamily;
  /** Address to bind. Default: all interfaces ('0.0.0.0' for udp4, '::' for udp6). */
  host?: string;
  /** Port to bind; 0 picks an ephemeral port (read it back with address()). Default 0. */
  port?: number;
  /** udp6 only: refuse IPv4-mapped traffic. Default false. */
  ipv6Only?: boolean;
  /** Clock in ms. Default: performance.timeOrigin + performance.now(). */
  now?: () => number;
  /**
   * SO_RCVBUF / SO_SNDBUF to ask for, bytes; 0 leaves the OS default. Linux's
   * default (~208 KiB) holds ~140 datagrams of 1472 bytes: 2 ms at 70k/s, so
   * any scheduling hiccup of the reader becomes loss. The kernel caps the
   * request at net.core.rmem_max / wmem_max (and reports double); failures
   * are ignored, bufferSizes() tells what was granted. Default 8 MiB each.
   */
  recvBufferSize?: number;
  sendBufferSize?: number;
  /**
   * Sends whose completion callback has not run yet, at most. Above it the
   * driver stops draining pollTransmit and resumes from a send callback, so
   * a full kernel buffer turns into back-pressure on the core (its pacer and
   * window) instead of a queue in libuv. Default 1024.
   */
  maxSendsInFlight?: number;
  /** Datagrams sent per turn of the event loop before yielding to the receive path. Default 256. */
  maxDatagramsPerTick?: number;
  /**
   * Deadlines closer than this (ms) are served with setImmediate instead of
   * setTimeout. Why: Node timers have 1 ms granularity, so a pacer that wants
   * the next datagram in 15 us would otherwise wait 1+ ms and cap the rate at
   * one burst per millisecond. 0 disables (always setTimeout). Default 1.
   */
  immediateBelowMs?: number;
  /** Do not keep the process alive for protocol timers alone. Default false. */
  unrefTimers?: boolean;
  /**
   * TEST HOOK, for tests and benchmarks only: called with every received
   * datagram before the core sees it; returning true drops it (counted in
   * stats().inboundDropped). See randomInboundDrop().
   */
  dropInbound?: (bytes: Uint8Array) => boolean;
}

export interface ResolvedUdpDriverOptions {
  type: UdpSocketFamily;
  host: string;
  port: number;
  ipv6Only: boolean;
  now: () => number;
  recvBufferSize: number;
  sendBufferSize: number;
  maxSendsInFlight: number;
  /** Low watermark: draining resumes when in-flight sends fall to this. */
  resumeSendsInFlight: number;
  maxDatagramsPerTick: number;
  immediateBelowMs: number;
  unrefTimers: boolean;
  dropInbound: ((bytes: Uint8Array) => boolean) | undefined;
}

export const DEFAULT_SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`UdpEndpointDriver: ${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

export function resolveUdpDriverOptions(options: UdpEndpointDriverOptions = {}): ResolvedUdpDriverOptions {
  const type = options.type ?? 'udp4';
  const maxSendsInFlight = positiveInteger('maxSendsInFlight', options.maxSendsInFlight ?? 1024, 1);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`UdpEndpointDriver: port must be an integer in [0, 65535], got ${port}`);
  }
  const immediateBelowMs = options.immediateBelowMs ?? 1;
  if (!(immediateBelowMs >= 0 && immediateBelowMs <= 50)) {
    throw new RangeError(`UdpEndpointDriver: immediateBelowMs must be in [0, 50], got ${immediateBelowMs}`);
  }
  return {
    type,
    host: options.host ?? (type === 'udp4' ? '0.0.0.0' : '::'),
    port,
    ipv6Only: options.ipv6Only ?? false,
    now: options.now ?? monotonicNow,
    recvBufferSize: positiveInteger('recvBufferSize', options.recvBufferSize ?? DEFAULT_SOCKET_BUFFER_BYTES, 0),
    sendBufferSize: positiveInteger('sendBufferSize', options.sendBufferSize ?? DEFAULT_SOCKET_BUFFER_BYTES, 0),
    maxSendsInFlight,
    resumeSendsInFlight: Math.floor(maxSendsInFlight / 2),
    maxDatagramsPerTick: positiveInteger('maxDatagramsPerTick', options.maxDatagramsPerTick ?? 256, 1),
    immediateBelowMs,
    unrefTimers: options.unrefTimers ?? false,
    dropInbound: options.dropInbound,
  };
}
