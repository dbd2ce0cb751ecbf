import { randomInboundDrop } from './inbound-drop';

describe('randomInboundDrop', () => {
  const empty = new Uint8Array(0);

  it('is reproducible for a seed', () => {
    const a = randomInboundDrop(0.3, 42);
    const b = randomInboundDrop(0.3, 42);
    const first = Array.from({ length: 200 }, () => a(empty));
    expect(Array.from({ length: 200 }, () => b(empty))).toEqual(first);
  });

  it('drops close to the asked rate', () => {
    const drop = randomInboundDrop(0.05, 7);
    let dropped = 0;
    for (let i = 0; i < 100_000; i++) if (drop(empty)) dropped++;
    expect(dropped / 100_000).toBeGreaterThan(0.045);
    expect(dropped / 100_000).toBeLessThan(0.055);
  });

  it('never drops at 0 and always at 1', () => {
    const none = randomInboundDrop(0, 1);
    const all = randomInboundDrop(1, 1);
    for (let i = 0; i < 1000; i++) {
      expect(none(empty)).toBe(false);
      expect(all(empty)).toBe(true);
    }
  });

  it('refuses rates outside [0, 1]', () => {
    expect(() => randomInboundDrop(1.5, 1)).toThrow(RangeError);
    expect(() => randomInboundDrop(Number.NaN, 1)).toThrow(RangeError);
  });
});
