import { RttEstimator } from './rtt-estimator';

describe('RttEstimator', () => {
  describe('constructor', () => {
    it('starts from the initial RTT with rttvar = rtt / 2', () => {
      const r = new RttEstimator(100);
      expect(r.hasSample).toBe(false);
      expect(r.smoothed).toBe(100);
      expect(r.variation).toBe(50);
      expect(r.rto()).toBe(300);
      expect(r.minRtt).toBe(0);
    });
  });

  describe('update', () => {
    it('takes the first sample as srtt with rttvar = sample / 2', () => {
      const r = new RttEstimator(100);
      r.update(40);
      expect(r.smoothed).toBe(40);
      expect(r.variation).toBe(20);
      expect(r.minRtt).toBe(40);
      expect(r.hasSample).toBe(true);
    });

    it('smooths later samples with alpha 1/8 and beta 1/4', () => {
      const r = new RttEstimator(100);
      r.update(40);
      r.update(80);
      expect(r.variation).toBeCloseTo(0.75 * 20 + 0.25 * 40, 9);
      expect(r.smoothed).toBeCloseTo(0.875 * 40 + 0.125 * 80, 9);
      expect(r.minRtt).toBe(40);
      expect(r.latest).toBe(80);
    });

    it('converges to a steady RTT', () => {
      const r = new RttEstimator(500);
      for (let i = 0; i < 100; i++) r.update(20);
      expect(r.smoothed).toBeCloseTo(20, 3);
      expect(r.variation).toBeLessThan(0.01);
      expect(r.rto()).toBeCloseTo(21, 1); // the granularity floor
    });

    it('subtracts the peer delay unless that would go below min RTT', () => {
      const r = new RttEstimator(100);
      r.update(50);
      r.update(70, 15);
      expect(r.latest).toBe(55);
      r.update(60, 30);
      expect(r.latest).toBe(60);
    });

    it('ignores non-positive and non-finite samples', () => {
      const r = new RttEstimator(100);
      r.update(0);
      r.update(-5);
      r.update(Number.NaN);
      r.update(Number.POSITIVE_INFINITY);
      expect(r.hasSample).toBe(false);
    });
  });

  describe('pto', () => {
    it('adds the peer max ack delay to the RTO', () => {
      const r = new RttEstimator(100);
      r.update(40);
      expect(r.pto(25)).toBe(40 + 80 + 25);
    });
  });
});
