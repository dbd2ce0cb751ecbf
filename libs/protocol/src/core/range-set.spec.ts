import { RangeSet } from './range-set';

function ranges(set: RangeSet): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let k = 0; k < set.rangeCount; k++) out.push([set.start(k), set.end(k), set.tag(k)]);
  return out;
}

describe('RangeSet', () => {
  describe('add', () => {
    it('appends disjoint ranges in order and counts indices', () => {
      const s = new RangeSet();
      s.add(2, 4, 1);
      s.add(6, 7, 2);
      expect(ranges(s)).toEqual([[2, 4, 1], [6, 7, 2]]);
      expect(s.count).toBe(3);
      expect(s.rangeCount).toBe(2);
    });

    it('inserts below existing ranges and merges overlapping or adjacent ones, keeping the smallest tag', () => {
      const s = new RangeSet();
      s.add(10, 12, 5);
      s.add(20, 22, 6);
      s.add(0, 2, 7);
      expect(ranges(s)).toEqual([[0, 2, 7], [10, 12, 5], [20, 22, 6]]);
      s.add(12, 20, 9); // adjacent on both sides
      expect(ranges(s)).toEqual([[0, 2, 7], [10, 22, 5]]);
      s.add(1, 11, 3);
      expect(ranges(s)).toEqual([[0, 22, 3]]);
      expect(s.count).toBe(22);
    });

    it('ignores empty ranges', () => {
      const s = new RangeSet();
      s.add(3, 3);
      expect(s.isEmpty).toBe(true);
    });
  });

  describe('delete', () => {
    it('trims, splits and removes ranges', () => {
      const s = new RangeSet();
      s.add(0, 5, 1);
      expect(s.delete(0)).toBe(true);
      expect(s.delete(4)).toBe(true);
      expect(ranges(s)).toEqual([[1, 4, 1]]);
      expect(s.delete(2)).toBe(true);
      expect(ranges(s)).toEqual([[1, 2, 1], [3, 4, 1]]);
      expect(s.delete(1)).toBe(true);
      expect(s.delete(3)).toBe(true);
      expect(s.isEmpty).toBe(true);
      expect(s.count).toBe(0);
    });

    it('returns false for an absent index', () => {
      const s = new RangeSet();
      s.add(5, 6);
      expect(s.delete(4)).toBe(false);
      expect(s.delete(6)).toBe(false);
      expect(s.count).toBe(1);
    });
  });

  describe('find / has', () => {
    it('locates the range holding an index by binary search', () => {
      const s = new RangeSet();
      for (let i = 0; i < 100; i++) s.add(i * 10, i * 10 + 3);
      expect(s.find(503)).toBe(-1);
      expect(s.find(502)).toBe(50);
      expect(s.has(990)).toBe(true);
      expect(s.has(-1)).toBe(false);
      expect(s.first()).toBe(0);
    });
  });

  describe('removeAt / clear / toRanges', () => {
    it('converts to wire ranges and empties', () => {
      const s = new RangeSet();
      s.add(1, 3);
      s.add(7, 8);
      expect(s.toRanges()).toEqual([{ start: 1, length: 2 }, { start: 7, length: 1 }]);
      s.removeAt(0);
      expect(s.toRanges()).toEqual([{ start: 7, length: 1 }]);
      expect(s.count).toBe(1);
      s.clear();
      expect(s.count).toBe(0);
      expect(s.first()).toBeUndefined();
    });
  });

  it('agrees with a naive model under random operations', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const s = new RangeSet();
    const model = new Set<number>();
    for (let step = 0; step < 3000; step++) {
      if (rnd(3) === 0) {
        const a = rnd(200);
        const b = a + rnd(10);
        s.add(a, b);
        for (let i = a; i < b; i++) model.add(i);
      } else {
        const i = rnd(210);
        expect(s.delete(i)).toBe(model.delete(i));
      }
      expect(s.count).toBe(model.size);
    }
    for (let i = 0; i < 215; i++) expect(s.has(i)).toBe(model.has(i));
    for (let k = 1; k < s.rangeCount; k++) expect(s.start(k)).toBeGreaterThan(s.end(k - 1));
  });
});
