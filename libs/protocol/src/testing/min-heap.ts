/**
 * A binary min-heap keyed by a number, stable for equal keys: entries with the
 * same key come out in insertion order. The simulator schedules thousands of
 * datagrams per transfer, often many at the same virtual time (zero latency,
 * duplicates), and a replay must deliver them in exactly the order they were
 * sent, so stability is part of determinism, not a nicety.
 */
interface HeapEntry<T> {
  key: number;
  /** Insertion counter: the tie-breaker that makes the heap stable. */
  seq: number;
  value: T;
}

export class MinHeap<T> {
  private readonly entries: HeapEntry<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.entries.length;
  }

  isEmpty(): boolean {
    return this.entries.length === 0;
  }

  push(key: number, value: T): void {
    if (Number.isNaN(key)) {
      // NaN compares false both ways and would silently corrupt the heap order.
      throw new RangeError('MinHeap.push: key must not be NaN');
    }
    this.entries.push({ key, seq: this.nextSeq++, value });
    this.siftUp(this.entries.length - 1);
  }

  /** Smallest key, or undefined when empty. */
  peekKey(): number | undefined {
    return this.entries[0]?.key;
  }

  peek(): T | undefined {
    return this.entries[0]?.value;
  }

  pop(): T | undefined {
    const entries = this.entries;
    const top = entries[0];
    if (top === undefined) return undefined;
    const last = entries.pop() as HeapEntry<T>;
    if (entries.length > 0) {
      entries[0] = last;
      this.siftDown(0);
    }
    return top.value;
  }

  clear(): void {
    this.entries.length = 0;
  }

  private less(i: number, j: number): boolean {
    const a = this.entries[i] as HeapEntry<T>;
    const b = this.entries[j] as HeapEntry<T>;
    return a.key < b.key || (a.key === b.key && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const entries = this.entries;
    const tmp = entries[i] as HeapEntry<T>;
    entries[i] = entries[j] as HeapEntry<T>;
    entries[j] = tmp;
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const n = this.entries.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(right, left) ? right : left;
      if (!this.less(child, i)) break;
      this.swap(i, child);
      i = child;
    }
  }
}
