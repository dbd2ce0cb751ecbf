/**
 * A sorted set of disjoint half-open ranges [start, end) of chunk indices,
 * each carrying one numeric tag (the receiver stores "reported at" or "last
 * NACKed at" times there). Pure mechanism, no policy: the NACK scheduler
 * decides what the tags mean.
 *
 * Why parallel number arrays and not a tree: the sets this protocol keeps are
 * small (the holes below the highest chunk seen, tens to a few hundred ranges
 * even at 30 % loss), new ranges almost always arrive at the top (append is
 * O(1)), and a sorted array gives binary search and cheap in-order iteration
 * without one object per range.
 */
import type { ChunkRange } from '../wire/messages';

export class RangeSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly tags: number[] = [];
  private total = 0;

  /** Number of ranges. */
  get rangeCount(): number {
    return this.starts.length;
  }

  /** Number of indices covered by all ranges. */
  get count(): number {
    return this.total;
  }

  get isEmpty(): boolean {
    return this.starts.length === 0;
  }

  start(k: number): number {
    return this.starts[k];
  }

  end(k: number): number {
    return this.ends[k];
  }

  tag(k: number): number {
    return this.tags[k];
  }

  setTag(k: number, tag: number): void {
    this.tags[k] = tag;
  }

  /** Lowest index in the set, or undefined when empty. */
  first(): number | undefined {
    return this.starts.length === 0 ? undefined : this.starts[0];
  }

  /** Position of the range containing `index`, or -1. */
  find(index: number): number {
    const k = this.upperBound(index) - 1;
    return k >= 0 && index < this.ends[k] ? k : -1;
  }

  has(index: number): boolean {
    return this.find(index) >= 0;
  }

  /**
   * Adds [start, end) with `tag`. Overlapping or adjacent ranges merge; the
   * merged range keeps the smallest tag (the oldest time, so nothing waits
   * longer than it would have alone). Empty ranges are ignored.
   */
  add(start: number, end: number, tag = 0): void {
    if (end <= start) return;
    const n = this.starts.length;
    // Fast path: strictly above everything (the usual case: holes open at the top).
    if (n === 0 || start > this.ends[n - 1]) {
      this.starts.push(start);
      this.ends.push(end);
      this.tags.push(tag);
      this.total += end - start;
      return;
    }
    // First range that could touch [start, end): the last one starting at or before `start`.
    let lo = this.upperBound(start) - 1;
    if (lo < 0 || this.ends[lo] < start) lo++;
    let hi = lo;
    let newStart = start;
    let newEnd = end;
    let newTag = tag;
    let removed = 0;
    while (hi < n && this.starts[hi] <= end) {
      newStart = Math.min(newStart, this.starts[hi]);
      newEnd = Math.max(newEnd, this.ends[hi]);
      newTag = Math.min(newTag, this.tags[hi]);
      removed += this.ends[hi] - this.starts[hi];
      hi++;
    }
    this.starts.splice(lo, hi - lo, newStart);
    this.ends.splice(lo, hi - lo, newEnd);
    this.tags.splice(lo, hi - lo, newTag);
    this.total += newEnd - newStart - removed;
  }

  /** Removes one index (splitting its range if needed). True when it was present. */
  delete(index: number): boolean {
    const k = this.find(index);
    if (k < 0) return false;
    const s = this.starts[k];
    const e = this.ends[k];
    if (e - s === 1) {
      this.removeAt(k);
      return true;
    }
    this.total--;
    if (index === s) {
      this.starts[k] = s + 1;
    } else if (index === e - 1) {
      this.ends[k] = e - 1;
    } else {
      this.ends[k] = index;
      this.starts.splice(k + 1, 0, index + 1);
      this.ends.splice(k + 1, 0, e);
      this.tags.splice(k + 1, 0, this.tags[k]);
    }
    return true;
  }

  /** Removes range number k entirely. */
  removeAt(k: number): void {
    this.total -= this.ends[k] - this.starts[k];
    this.starts.splice(k, 1);
    this.ends.splice(k, 1);
    this.tags.splice(k, 1);
  }

  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.tags.length = 0;
    this.total = 0;
  }

  /** The ranges as wire ChunkRanges, ascending (a fresh array). */
  toRanges(): ChunkRange[] {
    const out: ChunkRange[] = new Array(this.starts.length);
    for (let k = 0; k < this.starts.length; k++) out[k] = { start: this.starts[k], length: this.ends[k] - this.starts[k] };
    return out;
  }

  /** Index of the first range whose start is > value. */
  private upperBound(value: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
