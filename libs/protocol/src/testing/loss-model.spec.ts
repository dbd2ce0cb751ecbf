import { meanLossRate, type LossConfig } from './link-config';
import { createLossProcess, GilbertElliottLoss } from './loss-model';
import { SeededRandom } from './seeded-random';

/** Runs n decisions and returns the loss rate and the mean length of loss bursts. */
function sample(config: LossConfig, n: number, seed: number): { rate: number; meanBurst: number } {
  const process = createLossProcess(config);
  const rng = new SeededRandom(seed);
  let lost = 0;
  let bursts = 0;
  let previous = false;
  for (let i = 0; i < n; i++) {
    const l = process.lose(rng);
    if (l) lost++;
    if (l && !previous) bursts++;
    previous = l;
  }
  return { rate: lost / n, meanBurst: bursts === 0 ? 0 : lost / bursts };
}

describe('createLossProcess', () => {
  it("'none' never loses", () => {
    expect(sample({ model: 'none' }, 1000, 1).rate).toBe(0);
  });

  it("'bernoulli' loses about p, with short bursts", () => {
    const { rate, meanBurst } = sample({ model: 'bernoulli', p: 0.1 }, 50000, 2);
    // 4 standard deviations of a binomial: sqrt(0.1 * 0.9 / 50000) ~ 0.0013.
    expect(Math.abs(rate - 0.1)).toBeLessThan(0.0055);
    expect(meanBurst).toBeLessThan(1.2);
  });

  it("'gilbert-elliott' matches its stationary loss and loses in bursts", () => {
    const ge: LossConfig = { model: 'gilbert-elliott', pGoodToBad: 0.02, pBadToGood: 0.2, lossInGood: 0, lossInBad: 1 };
    const mean = meanLossRate(ge);
    expect(mean).toBeCloseTo(0.02 / 0.22, 10);
    const { rate, meanBurst } = sample(ge, 200000, 3);
    expect(Math.abs(rate - mean)).toBeLessThan(0.015);
    // Bad state lasts 1 / pBadToGood = 5 datagrams on average, all lost.
    expect(meanBurst).toBeGreaterThan(4);
    const bernoulli = sample({ model: 'bernoulli', p: mean }, 200000, 3);
    expect(meanBurst).toBeGreaterThan(2 * bernoulli.meanBurst);
  });

  it('GilbertElliottLoss starts good and moves to bad', () => {
    const ge = new GilbertElliottLoss({ model: 'gilbert-elliott', pGoodToBad: 1, pBadToGood: 0, lossInGood: 0, lossInBad: 1 });
    const rng = new SeededRandom(4);
    expect(ge.inBadState).toBe(false);
    expect(ge.lose(rng)).toBe(false);
    expect(ge.inBadState).toBe(true);
    expect(ge.lose(rng)).toBe(true);
  });
});
