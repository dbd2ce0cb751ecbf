import { MinHeap } from './min-heap';
import { SeededRandom } from './seeded-random';

describe('MinHeap', () => {
  it('is empty at first', () => {
    const heap = new MinHeap<string>();
    expect(heap.size).toBe(0);
    expect(heap.isEmpty()).toBe(true);
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBeUndefined();
    expect(heap.peekKey()).toBeUndefined();
  });

  it('pops in key order', () => {
    const heap = new MinHeap<number>();
    for (const k of [5, 1, 4, 2, 3, 0]) heap.push(k, k * 10);
    expect(heap.peekKey()).toBe(0);
    const out: number[] = [];
    while (!heap.isEmpty()) out.push(heap.pop() as number);
    expect(out).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('is stable: equal keys come out in insertion order', () => {
    const heap = new MinHeap<string>();
    heap.push(2, 'c');
    heap.push(1, 'a');
    heap.push(2, 'd');
    heap.push(1, 'b');
    heap.push(2, 'e');
    const out: string[] = [];
    while (heap.size > 0) out.push(heap.pop() as string);
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('matches a stable sort on random input with interleaved pops', () => {
    const rng = new SeededRandom(7);
    const heap = new MinHeap<number>();
    const reference: { key: number; id: number }[] = [];
    const popped: number[] = [];
    const expected: number[] = [];
    let id = 0;
    for (let round = 0; round < 2000; round++) {
      const key = rng.int(50);
      heap.push(key, id);
      reference.push({ key, id });
      id++;
      if (rng.next() < 0.3) {
        reference.sort((x, y) => x.key - y.key || x.id - y.id);
        expected.push((reference.shift() as { id: number }).id);
        popped.push(heap.pop() as number);
      }
    }
    expect(popped).toEqual(expected);
  });

  it('refuses NaN keys', () => {
    expect(() => new MinHeap<number>().push(Number.NaN, 1)).toThrow(RangeError);
  });

  it('clear empties it', () => {
    const heap = new MinHeap<number>();
    heap.push(1, 1);
    heap.clear();
    expect(heap.isEmpty()).toBe(true);
  });
});
