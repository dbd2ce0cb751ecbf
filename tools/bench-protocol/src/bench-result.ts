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
  /**
   * Sim: virtual time from send() to the sender's `accepted` event, ms. A
   * lost OFFER (or ACCEPT) adds the designed 2 x initialRttMs (200 ms)
   * handshake retry here, which on a 2 ms path would otherwise dominate
   * timeMs and hide what loss costs the data phase.
   */
  handshakeMs?: number;
  /** Sim: virtual time from the sender's `accepted` to its `completed`, ms (timeMs without the handshake). */
  timeFromAcceptMs?: number;
  /** sizeBytes / timeFromAcceptMs, in MB/s. */
  goodputFromAcceptMBps?: number;
  /**
   * Sim: the seeds the case ran with. The row's times are the median of each
   * column over them (the handshake and the data phase independently), and
   * `details` is that of the run with the median timeMs.
   */
  seeds?: number[];
  /** Sim: one entry per seed, in seed order, to show the spread behind the medians. */
  runs?: SimRun[];
  /** Everything else worth keeping in the JSON (stats, driver counters, settings). */
  details: Record<string, unknown>;
}

export interface SimRun {
  seed: number;
  ok: boolean;
  timeMs: number;
  handshakeMs?: number;
  timeFromAcceptMs?: number;
  /** OFFERs the sender sent: more than one means the handshake was repeated. */
  offersSent?: number;
}

export function goodputMBps(bytes: number, ms: number): number {
  return ms > 0 ? bytes / 1e6 / (ms / 1000) : 0;
}

/**
 * The median run of a repeated case by goodput (so by time, the size being
 * fixed); a failed or mismatched run instead, so that it is never hidden
 * behind good ones. With an even count, the faster of the middle two.
 */
export function medianRun(results: readonly BenchResult[]): BenchResult {
  if (results.length === 0) throw new Error('medianRun: no results');
  const sorted = [...results].sort((a, b) => a.goodputMBps - b.goodputMBps);
  return results.find((r) => !r.dataMatches) ?? results.find((r) => !r.ok) ?? sorted[Math.floor(sorted.length / 2)];
}

/** The median of some numbers (the upper middle one for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
