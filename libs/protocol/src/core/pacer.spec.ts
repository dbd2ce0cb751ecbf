import { TokenBucketPacer } from './pacer';

describe('TokenBucketPacer', () => {
  describe('tryConsume', () => {
    it('allows a full burst at once, then nothing until tokens refill', () => {
      const p = new TokenBucketPacer(1_000_000, 3000, 0); // 1000 bytes per ms
      expect(p.tryConsume(0, 1000)).toBe(true);
      expect(p.tryConsume(0, 1000)).toBe(true);
      expect(p.tryConsume(0, 1000)).toBe(true);
      expect(p.tryConsume(0, 1000)).toBe(false);
      expect(p.tryConsume(0.5, 1000)).toBe(false);
      expect(p.tryConsume(1, 1000)).toBe(true);
    });

    it('never accumulates more than the burst', () => {
      const p = new TokenBucketPacer(1_000_000, 2000, 0);
      p.tryConsume(0, 2000);
      expect(p.tryConsume(100, 1000)).toBe(true);
      expect(p.tryConsume(100, 1000)).toBe(true);
      expect(p.tryConsume(100, 1000)).toBe(false);
    });

    it('holds the long-run average at the rate', () => {
      const p = new TokenBucketPacer(1_472_000, 1472 * 4, 0);
      let sent = 0;
      for (let t = 0; t <= 1000; t += 0.25) while (p.tryConsume(t, 1472)) sent++;
      // 1000 datagrams per second plus the initial burst of 4.
      expect(sent).toBeGreaterThanOrEqual(1000);
      expect(sent).toBeLessThanOrEqual(1005);
    });

    it('lets a datagram larger than the bucket go on a full bucket', () => {
      const p = new TokenBucketPacer(1000, 100, 0);
      expect(p.tryConsume(0, 500)).toBe(true);
      expect(p.tryConsume(0.1, 10)).toBe(false);
    });

    it('ignores time running backwards', () => {
      const p = new TokenBucketPacer(1_000_000, 1000, 10);
      expect(p.tryConsume(10, 1000)).toBe(true);
      expect(p.tryConsume(5, 1000)).toBe(false);
      expect(p.tryConsume(11, 1000)).toBe(true);
    });
  });

  describe('nextAvailableAt', () => {
    it('returns now when tokens are there, else the exact refill time', () => {
      const p = new TokenBucketPacer(1_000_000, 1000, 0);
      expect(p.nextAvailableAt(0, 1000)).toBe(0);
      p.tryConsume(0, 1000);
      expect(p.nextAvailableAt(0, 500)).toBeCloseTo(0.5, 9);
      expect(p.nextAvailableAt(0.25, 500)).toBeCloseTo(0.5, 9);
    });

    it('counts from the last refill when asked with a stale now (a shared bucket), quickly', () => {
      const p = new TokenBucketPacer(1_000_000, 1000, 0);
      p.tryConsume(100, 1000); // spent at t=100 by one session
      const started = Date.now();
      // Another session whose clock still says t=0 asks: the answer is the real refill time, not 1 ms.
      expect(p.nextAvailableAt(0, 1000)).toBeCloseTo(101, 9);
      expect(Date.now() - started).toBeLessThan(100);
    });
  });

  describe('charge', () => {
    it('takes tokens even when the bucket is short, so DATA after it waits for the debt', () => {
      const p = new TokenBucketPacer(1_000_000, 1000, 0);
      p.charge(0, 600);
      expect(p.available).toBeCloseTo(400, 9);
      p.charge(0, 600); // 200 bytes of debt
      expect(p.available).toBeCloseTo(-200, 9);
      expect(p.nextAvailableAt(0, 1000)).toBeCloseTo(1.2, 9);
      expect(p.tryConsume(1.2, 1000)).toBe(true);
    });

    it('floors the debt at one bucket depth', () => {
      const p = new TokenBucketPacer(1_000_000, 1000, 0);
      for (let i = 0; i < 100; i++) p.charge(0, 1000);
      expect(p.available).toBe(-1000);
      expect(p.nextAvailableAt(0, 1000)).toBeCloseTo(2, 9);
    });
  });

  describe('setRate', () => {
    it('keeps earned tokens and refills at the new rate', () => {
      const p = new TokenBucketPacer(1_000_000, 1000, 0);
      p.tryConsume(0, 1000);
      p.setRate(100_000, 0.5); // 500 tokens earned at the old rate
      expect(p.rateBytesPerSec).toBe(100_000);
      expect(p.nextAvailableAt(0.5, 1000)).toBeCloseTo(5.5, 9);
    });

    it('ignores a non-positive rate', () => {
      const p = new TokenBucketPacer(1000, 1000, 0);
      p.setRate(0, 0);
      expect(p.rateBytesPerSec).toBe(1000);
    });
  });

  describe('constructor', () => {
    it('refuses a zero rate', () => {
      expect(() => new TokenBucketPacer(0, 1, 0)).toThrow(RangeError);
    });
  });
});

describe('TokenBucketPacer rounding', () => {
  it('never names a time at which the datagram still cannot go, even at epoch-scale times', () => {
    const start = 1_700_000_000_000;
    const p = new TokenBucketPacer(100_000_000, 1472, start);
    let now = start;
    for (let i = 0; i < 10_000; i++) {
      const next = p.nextAvailableAt(now, 1472);
      expect(next).toBeGreaterThanOrEqual(now);
      now = next;
      expect(p.tryConsume(now, 1472)).toBe(true);
    }
  });

  it('lets a datagram go at exactly the time nextAvailableAt named', () => {
    const p = new TokenBucketPacer(12_500_000, 1472 * 16, 0);
    let now = 0;
    for (let i = 0; i < 10_000; i++) {
      now = p.nextAvailableAt(now, 1472);
      expect(p.tryConsume(now, 1472)).toBe(true);
    }
  });
});
