import { hashSeed, SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('replays the same stream for the same seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    const ys = Array.from({ length: 100 }, () => b.nextUint32());
    expect(xs).toEqual(ys);
  });

  it('gives different streams for different seeds', () => {
    const a = new SeededRandom(1);
    const b = new SeededRandom(2);
    expect(Array.from({ length: 8 }, () => a.nextUint32())).not.toEqual(Array.from({ length: 8 }, () => b.nextUint32()));
  });

  it('rejects bad seeds', () => {
    expect(() => new SeededRandom(-1)).toThrow(/seed/);
    expect(() => new SeededRandom(1.5)).toThrow(/seed/);
    expect(() => new SeededRandom(2 ** 32)).toThrow(/seed/);
  });

  describe('next', () => {
    it('stays in [0, 1) and averages about 1/2', () => {
      const rng = new SeededRandom(3);
      let sum = 0;
      for (let i = 0; i < 20000; i++) {
        const x = rng.next();
        expect(x >= 0 && x < 1).toBe(true);
        sum += x;
      }
      expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
    });
  });

  describe('int', () => {
    it('covers [0, n) roughly uniformly', () => {
      const rng = new SeededRandom(4);
      const counts = new Array<number>(6).fill(0);
      for (let i = 0; i < 60000; i++) counts[rng.int(6)]++;
      for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    });

    it('rejects bad bounds', () => {
      const rng = new SeededRandom(4);
      expect(() => rng.int(0)).toThrow(RangeError);
      expect(() => rng.int(2.5)).toThrow(RangeError);
    });

    it('int(1) is always 0', () => {
      const rng = new SeededRandom(4);
      for (let i = 0; i < 10; i++) expect(rng.int(1)).toBe(0);
    });
  });

  describe('chance', () => {
    it('p = 0 never fires and p = 1 always does', () => {
      const rng = new SeededRandom(5);
      for (let i = 0; i < 1000; i++) {
        expect(rng.chance(0)).toBe(false);
        expect(rng.chance(1)).toBe(true);
      }
    });
  });

  describe('uniform', () => {
    it('stays in [min, max)', () => {
      const rng = new SeededRandom(6);
      for (let i = 0; i < 1000; i++) {
        const x = rng.uniform(10, 12);
        expect(x >= 10 && x < 12).toBe(true);
      }
    });
  });

  describe('bytes', () => {
    it('returns n bytes and works detached from the instance', () => {
      const source: (n: number) => Uint8Array = new SeededRandom(8).bytes;
      const out = source(33);
      expect(out).toHaveLength(33);
      expect(out.some((b) => b !== 0)).toBe(true);
      expect(new SeededRandom(8).bytes(33)).toEqual(out);
      expect(source(0)).toHaveLength(0);
      expect(() => source(-1)).toThrow(RangeError);
    });
  });

  describe('derive and fork', () => {
    it('derive gives independent, reproducible streams per label', () => {
      const ab = SeededRandom.derive(9, 'a->b').nextUint32();
      const ba = SeededRandom.derive(9, 'b->a').nextUint32();
      expect(ab).not.toBe(ba);
      expect(SeededRandom.derive(9, 'a->b').nextUint32()).toBe(ab);
      expect(hashSeed(9, 'x')).not.toBe(hashSeed(10, 'x'));
    });

    it('fork is reproducible', () => {
      expect(new SeededRandom(10).fork().nextUint32()).toBe(new SeededRandom(10).fork().nextUint32());
    });
  });
});
