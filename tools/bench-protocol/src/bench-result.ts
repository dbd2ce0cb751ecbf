/** One row of the benchmark: what was run and what it measured. */

export type Transport = 'sim' | 'udp' | 'tcp';

export interface BenchCase {
  transport: Transport;
  sizeBytes: number;
  /** Loss injected, percent (per datagram; sim: both directions, udp: sender -> receiver). */
  lossPct: number;
  /** Sim: configured round trip, ms. Real transports: undefined (loopback). */
  rttMs?: number;
  /** UDP payload size of a full datagram; undefined for TCP. */
  datagramSize?: number;
}

export interface BenchResult extends BenchCase {
  ok: boolean;
  /** Why it failed (timeout, protocol failure, hash mismatch). */
  error?: string;
  /** The receiver's SHA-256 of what it got equals the sender's. False is a data mismatch (exit 1). */
  dataMatches: boolean;
  /** Transfer time: sim = virtual time, real = wall time from send to the receiver's confirmation. */
  timeMs: number;
  /** Wall-clock time the run took (for sim: CPU cost of simulating). */
  wallMs: number;
  /** sizeBytes / timeMs, in MB/s (1 MB = 10^6 bytes). */
  goodputMBps: number;
  /** Sender's DATA chunks retransmitted / chunks sent the first time. */
  retransmitRatio?: number;
  /** Datagrams the sender put on the wire per second of transfer time. */
  datagramsPerSec?: number;
  /** Smoothed RTT the sender measured, ms. */
  measuredRttMs?: number;
  /**
   * CPU busy elsewhere on the machine during the run, in cores (1.0 = one
   * core), besides the two benchmark processes. Kernel work on their behalf
   * (loopback softirq) counts here too, so ~0.1-0.3 is normal; more means
   * the row was measured under contention.
   */
  otherCores?: number;
  /** Everything else worth keeping in the JSON (stats, driver counters, settings). */
  details: Record<string, unknown>;
}

export function goodputMBps(bytes: number, ms: number): number {
  return ms > 0 ? bytes / 1e6 / (ms / 1000) : 0;
}
