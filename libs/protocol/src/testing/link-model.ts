/**
 * One direction of a simulated link: the fate and arrival time of every
 * datagram handed to it. Pure bookkeeping over virtual time: O(1) per
 * datagram (the bottleneck queue is tracked as "busy until", not as a list),
 * so a 10 MB transfer costs thousands of cheap calls, not a scan each.
 *
 * Pipeline, in order: MTU -> blackhole -> bottleneck queue -> random loss ->
 * delay (latency, jitter, reordering) -> corruption -> duplication.
 * Random loss happens after the bottleneck: a lost datagram still used its
 * share of the bandwidth, as it would on a real path.
 */
import { resolveLinkConfig, type LinkConfig, type LinkConfigInput } from './link-config';
import { createLossProcess, type LossProcess } from './loss-model';
import { SeededRandom } from './seeded-random';

export interface LinkCounters {
  /** Datagrams handed to the link. */
  sent: number;
  /** Bytes handed to the link. */
  bytes: number;
  /** Copies handed to the receiving endpoint (duplicates included). */
  delivered: number;
  bytesDelivered: number;
  /** Dropped by the random loss model. */
  lost: number;
  /** Extra copies created. */
  duplicated: number;
  /** Held back by the reorder delay. */
  reordered: number;
  /** Copies with flipped bits. */
  corrupted: number;
  /** Tail-dropped because the bottleneck queue was full. */
  queueDropped: number;
  /** Larger than the MTU. */
  mtuDropped: number;
  /** Handed over during a blackhole window. */
  blackholed: number;
  /** Dropped by a test's interceptor (see SimNetwork.intercept). */
  filtered: number;
}

export type DropReason = 'filtered' | 'mtu' | 'blackhole' | 'queue' | 'loss';

/** One copy of a datagram scheduled for arrival. */
export interface LinkDelivery {
  at: number;
  bytes: Uint8Array;
  duplicate: boolean;
  corrupted: boolean;
  reordered: boolean;
}

export type LinkOutcome = { dropped: DropReason } | { dropped?: undefined; deliveries: LinkDelivery[] };

export function zeroLinkCounters(): LinkCounters {
  return {
    sent: 0,
    bytes: 0,
    delivered: 0,
    bytesDelivered: 0,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    corrupted: 0,
    queueDropped: 0,
    mtuDropped: 0,
    blackholed: 0,
    filtered: 0,
  };
}

/** Floating-point slack for the queue test, so a datagram that exactly fits is not dropped by rounding. */
const QUEUE_EPSILON_BYTES = 1e-6;

export class Link {
  /** Live counters: read, don't mutate. */
  readonly counters: LinkCounters = zeroLinkCounters();
  private cfg: LinkConfig;
  private lossProcess: LossProcess;
  /**
   * One stream per impairment, so that turning one on does not change the
   * decisions of another: a grid over reorder rates sees the same losses.
   */
  private readonly rng: Readonly<Record<'loss' | 'jitter' | 'reorder' | 'corrupt' | 'duplicate', SeededRandom>>;
  /** When the bottleneck finishes serialising everything accepted so far. */
  private busyUntil = 0;
  /** Arrival time of the last in-order datagram: jitter must not let a later one overtake it. */
  private lastInOrderArrival = Number.NEGATIVE_INFINITY;

  constructor(
    readonly from: string,
    readonly to: string,
    config: LinkConfigInput,
    seed: number,
    base?: Readonly<LinkConfig>,
  ) {
    this.cfg = resolveLinkConfig(config, base, this.label);
    this.lossProcess = createLossProcess(this.cfg.loss);
    const stream = (name: string): SeededRandom => SeededRandom.derive(seed, `${from}->${to}:${name}`);
    this.rng = {
      loss: stream('loss'),
      jitter: stream('jitter'),
      reorder: stream('reorder'),
      corrupt: stream('corrupt'),
      duplicate: stream('duplicate'),
    };
  }

  get label(): string {
    return `link ${this.from}->${this.to}`;
  }

  get config(): Readonly<LinkConfig> {
    return this.cfg;
  }

  /**
   * Changes the configuration mid-run (merged over the current one). Queue
   * contents and counters carry over; the loss process restarts (in the good
   * state) only when `loss` is given.
   */
  configure(input: LinkConfigInput): void {
    this.cfg = resolveLinkConfig(input, this.cfg, this.label);
    if (input.loss !== undefined) this.lossProcess = createLossProcess(this.cfg.loss);
  }

  isBlackholed(now: number): boolean {
    for (const [start, end] of this.cfg.blackholes) if (now >= start && now < end) return true;
    return false;
  }

  /** Bytes waiting in (or being serialised by) the bottleneck at `now`. */
  queuedBytes(now: number): number {
    const bw = this.cfg.bandwidthBytesPerSec;
    return bw === 0 ? 0 : (Math.max(0, this.busyUntil - now) * bw) / 1000;
  }

  /** Decides the fate of one datagram handed to the link at `now`. `bytes` is owned by the link from here on. */
  transmit(bytes: Uint8Array, now: number): LinkOutcome {
    const c = this.counters;
    const cfg = this.cfg;
    const length = bytes.length;
    c.sent++;
    c.bytes += length;

    if (length > cfg.mtu) {
      c.mtuDropped++;
      return { dropped: 'mtu' };
    }
    if (cfg.blackholes.length > 0 && this.isBlackholed(now)) {
      c.blackholed++;
      return { dropped: 'blackhole' };
    }

    let departure = now;
    const bw = cfg.bandwidthBytesPerSec;
    if (bw > 0) {
      if (this.queuedBytes(now) + length > cfg.queueBytes + QUEUE_EPSILON_BYTES) {
        c.queueDropped++;
        return { dropped: 'queue' };
      }
      departure = Math.max(now, this.busyUntil) + (length * 1000) / bw;
      this.busyUntil = departure;
    }

    if (this.lossProcess.lose(this.rng.loss)) {
      c.lost++;
      return { dropped: 'loss' };
    }

    let at = departure + cfg.latencyMs + (cfg.jitterMs > 0 ? this.rng.jitter.uniform(0, cfg.jitterMs) : 0);
    const reordered = cfg.reorderProbability > 0 && this.rng.reorder.chance(cfg.reorderProbability);
    if (reordered) {
      // Held back out of the in-order stream, so later datagrams overtake it.
      c.reordered++;
      at += cfg.reorderExtraDelayMs;
    } else if (!cfg.jitterReorders) {
      at = Math.max(at, this.lastInOrderArrival);
      this.lastInOrderArrival = at;
    }

    const duplicate = cfg.duplicateProbability > 0 && this.rng.duplicate.chance(cfg.duplicateProbability);
    // Copy before corrupting the original: each copy is corrupted (or not) on its own.
    const copy = duplicate ? bytes.slice() : undefined;
    const deliveries: LinkDelivery[] = [this.finish(bytes, at, false, reordered)];
    if (copy !== undefined) {
      c.duplicated++;
      deliveries.push(this.finish(copy, at, true, reordered));
    }
    return { deliveries };
  }

  /** Counts a copy handed to the receiving endpoint. */
  recordDelivered(length: number): void {
    this.counters.delivered++;
    this.counters.bytesDelivered += length;
  }

  /** Counts a datagram an interceptor dropped before the link saw it. */
  recordFiltered(length: number): void {
    this.counters.sent++;
    this.counters.bytes += length;
    this.counters.filtered++;
  }

  private finish(bytes: Uint8Array, at: number, duplicate: boolean, reordered: boolean): LinkDelivery {
    const p = this.cfg.corruptProbability;
    const corrupted = p > 0 && bytes.length > 0 && this.rng.corrupt.chance(p);
    if (corrupted) {
      flipBits(bytes, 1 + this.rng.corrupt.int(3), this.rng.corrupt);
      this.counters.corrupted++;
    }
    return { at, bytes, duplicate, corrupted, reordered };
  }
}

/** Flips `count` distinct bits of `bytes` in place (fewer if it has fewer bits). */
export function flipBits(bytes: Uint8Array, count: number, rng: SeededRandom): void {
  const totalBits = bytes.length * 8;
  const n = Math.min(count, totalBits);
  const chosen = new Set<number>();
  // Distinct positions: flipping the same bit twice would silently undo the corruption.
  while (chosen.size < n) chosen.add(rng.int(totalBits));
  for (const bit of chosen) {
    const index = bit >> 3;
    bytes[index] = (bytes[index] as number) ^ (1 << (bit & 7));
  }
}
