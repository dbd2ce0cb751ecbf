/**
 * NACK scheduling policy for the receiver: when a hole becomes a gap worth
 * reporting, which gaps a NACK should name, and when to name them again.
 *
 * A hole (chunks missing below the highest index seen) first waits in
 * `young`, because UDP reorders: it becomes a reported gap once
 * `reorderChunks` indices beyond it have been seen (the packet threshold of
 * RFC 9002 6.1.1) or once it is `reorderRttFraction * RTT + 1 ms` old (the
 * time threshold), whichever comes first. A PROBE from the sender promotes
 * every hole below it at once: the sender only probes after a silence, so
 * what is still missing is lost, not late.
 *
 * A NACK is due when a gap was never NACKed, or when one stays missing
 * `max(minNackIntervalMs, 1.25 * srtt)` after it was last NACKed: long enough
 * for the repair to arrive, short enough that a lost NACK or a lost repair
 * costs about one RTT. No ack-delay term: nobody delays what answers a NACK
 * (the sender queues the repair ahead of new data, and the receiver's srtt,
 * sampled NACK -> repair, already includes that queue). Adding the receiver's
 * own maxAckDelayMs (10 ms) made every repair round cost 12.5 ms on a 2 ms
 * path. A re-NACK that comes too early is harmless: the sender does not
 * repeat a repair younger than its srtt + rttvar. Every NACK, whatever triggered it,
 * names all reported gaps still missing, oldest first (as many as fit):
 * under loss NACKs are frequent, so an old gap gets many independent chances
 * to reach the sender instead of one per interval, and the sender's
 * one-RTT guard keeps the redundancy from turning into duplicate repairs.
 *
 * When more gaps are reported than one NACK holds (a large window at high
 * loss), listing from the oldest would name the same prefix forever and
 * never the gaps past it: they would stay due, and the receiver would NACK
 * again at the same instant without end. So the caller lists from the first
 * *due* gap instead (`firstDue`), and every NACK marks at least that one:
 * the due set shrinks with each NACK, and a burst at one instant is bounded
 * by (due gaps / gaps per NACK).
 */
import type { ChunkRange } from '../wire/messages';
import { RangeSet } from './range-set';

export interface NackPolicy {
  reorderChunks: number;
  reorderRttFraction: number;
  minNackIntervalMs: number;
}

/** What became of a chunk that arrived below the highest index seen. */
export type FillResult = 'young' | 'reported' | 'none';

/** Ranges picked for a NACK, with their positions in the reported set (for markNacked). */
export interface DueRanges {
  ranges: ChunkRange[];
  positions: number[];
}

const NEVER = Number.NEGATIVE_INFINITY;

export class NackScheduler {
  /** Holes within reorder tolerance; tag = time the hole opened. */
  private readonly young = new RangeSet();
  /** Gaps past tolerance; tag = last time they were NACKed (NEVER before the first). */
  private readonly reported = new RangeSet();
  /** Reported chunks that arrived since the last takeRepaired(). */
  private readonly repaired = new RangeSet();
  private newGaps: ChunkRange[] = [];
  private minTagCache: number | undefined = NEVER;

  constructor(private readonly policy: NackPolicy) {}

  /** Missing chunks known (young and reported). */
  get missing(): number {
    return this.young.count + this.reported.count;
  }

  get reportedCount(): number {
    return this.reported.count;
  }

  get youngCount(): number {
    return this.young.count;
  }

  /** Time a hole may wait for reordering before it is reported. */
  reorderDelay(rttMs: number): number {
    return this.policy.reorderRttFraction * rttMs + 1;
  }

  /** Time before a reported gap is NACKed again. */
  renackInterval(rttMs: number): number {
    return Math.max(this.policy.minNackIntervalMs, 1.25 * rttMs);
  }

  /** [start, end) just opened above every known hole (a chunk arrived past it). */
  openHole(start: number, end: number, now: number): void {
    this.young.add(start, end, now);
  }

  /** A chunk below the highest index seen arrived: take it out of whichever set held it. */
  fill(index: number): FillResult {
    if (this.young.delete(index)) return 'young';
    if (this.reported.delete(index)) {
      this.repaired.add(index, index + 1);
      this.minTagCache = undefined;
      return 'reported';
    }
    return 'none';
  }

  /**
   * Reports the young holes that are past tolerance, given the highest index
   * seen plus one. Returns how many chunks became reported.
   */
  promote(now: number, highestSeen: number, rttMs: number): number {
    const delay = this.reorderDelay(rttMs);
    let moved = 0;
    while (!this.young.isEmpty) {
      const end = this.young.end(0);
      // Same expression as nextDeadline, so a timer fired at that deadline always finds the work due.
      const old = this.young.tag(0) + delay <= now;
      if (!old && highestSeen - end < this.policy.reorderChunks) break;
      moved += this.moveFirstYoung();
    }
    return moved;
  }

  /** PROBE: every young hole below `below` is reported now. Returns chunks moved. */
  promoteBelow(below: number): number {
    let moved = 0;
    while (!this.young.isEmpty && this.young.start(0) < below) moved += this.moveFirstYoung();
    return moved;
  }

  /** Gaps reported since the last call, ascending (for the `gap` event). */
  takeNewGaps(): ChunkRange[] {
    const out = this.newGaps;
    this.newGaps = [];
    return out;
  }

  /** Reported chunks that arrived since the last call, coalesced (for `gap-repaired`). */
  takeRepaired(): ChunkRange[] {
    if (this.repaired.isEmpty) return [];
    const out = this.repaired.toRanges();
    this.repaired.clear();
    return out;
  }

  /**
   * The reported gaps from position `from` on, oldest first, with their
   * positions (for markNacked). `from` is 0 unless the gaps from 0 do not fit
   * one NACK up to the first due one (see firstDue).
   */
  due(from = 0): DueRanges {
    const n = Math.max(0, this.reported.rangeCount - from);
    const ranges: ChunkRange[] = new Array(n);
    const positions: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = from + i;
      const start = this.reported.start(k);
      ranges[i] = { start, length: this.reported.end(k) - start };
      positions[i] = k;
    }
    return { ranges, positions };
  }

  /**
   * Position of the oldest reported gap due at `now` (never NACKed, or not
   * for a re-NACK interval), or -1. A NACK must name it: one that names only
   * gaps before it leaves every due gap due, and the receiver NACKs again at
   * once, forever.
   */
  firstDue(now: number, rttMs: number): number {
    if (!this.hasDue(now, rttMs)) return -1;
    const interval = this.renackInterval(rttMs);
    // The same expression as hasDue, so the two agree to the last bit.
    for (let k = 0; k < this.reported.rangeCount; k++) if (this.reported.tag(k) + interval <= now) return k;
    return -1;
  }

  /**
   * The first `count` ranges of `due` went out in a NACK at `now`. Returns the
   * first chunk of the first range never NACKed before (a clean RTT probe:
   * its repair answers exactly this NACK), or -1.
   */
  markNacked(due: DueRanges, count: number, now: number): number {
    let fresh = -1;
    for (let i = 0; i < count; i++) {
      const k = due.positions[i];
      if (fresh < 0 && this.reported.tag(k) === NEVER) fresh = this.reported.start(k);
      this.reported.setTag(k, now);
    }
    if (count > 0) this.minTagCache = undefined;
    return fresh;
  }

  /** True when the first `listed` reported gaps name every hole below the highest index seen (a complete NACK). */
  listsEverything(listed: number): boolean {
    return this.young.isEmpty && listed === this.reported.rangeCount;
  }

  /** True when some reported gap was never NACKed or is due again at `now`: time to send a NACK. */
  hasDue(now: number, rttMs: number): boolean {
    return this.reported.rangeCount > 0 && this.minTag() + this.renackInterval(rttMs) <= now;
  }

  /**
   * Earliest time promote() or a NACK has work, or undefined; `now` when a
   * NACK is due already. Always finite: a never-NACKed gap's tag is -Infinity,
   * and "-Infinity + interval" handed to a driver as a deadline is a timer it
   * cannot arm (and a simulated clock that never moves).
   */
  nextDeadline(now: number, rttMs: number): number | undefined {
    let t = Number.POSITIVE_INFINITY;
    if (!this.young.isEmpty) t = this.young.tag(0) + this.reorderDelay(rttMs);
    if (this.reported.rangeCount > 0) t = Math.min(t, Math.max(now, this.minTag() + this.renackInterval(rttMs)));
    return Number.isFinite(t) ? t : undefined;
  }

  /** Forget everything (the transfer ended). */
  clear(): void {
    this.young.clear();
    this.reported.clear();
    this.repaired.clear();
    this.newGaps = [];
    this.minTagCache = NEVER;
  }

  private moveFirstYoung(): number {
    const start = this.young.start(0);
    const end = this.young.end(0);
    this.young.removeAt(0);
    this.reported.add(start, end, NEVER);
    this.minTagCache = NEVER;
    this.newGaps.push({ start, length: end - start });
    return end - start;
  }

  /** Smallest "last NACKed" tag; cached because pollTimeout asks often and it rarely changes. */
  private minTag(): number {
    if (this.minTagCache === undefined) {
      let m = Number.POSITIVE_INFINITY;
      for (let k = 0; k < this.reported.rangeCount; k++) m = Math.min(m, this.reported.tag(k));
      this.minTagCache = m;
    }
    return this.minTagCache;
  }
}
