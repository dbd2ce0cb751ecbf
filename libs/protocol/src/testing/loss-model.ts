/**
 * The random loss processes. Kept apart from the link so each model can be
 * checked statistically on its own, and so a link can swap models mid-run
 * (a test that makes the path worse halfway through).
 */
import type { LossConfig } from './link-config';
import type { SeededRandom } from './seeded-random';

export interface LossProcess {
  /** Decides the fate of the next datagram: true = lost. */
  lose(rng: SeededRandom): boolean;
}

class NoLoss implements LossProcess {
  lose(): boolean {
    return false;
  }
}

class BernoulliLoss implements LossProcess {
  constructor(private readonly p: number) {}

  lose(rng: SeededRandom): boolean {
    return rng.chance(this.p);
  }
}

/**
 * Gilbert-Elliott: the state decides the loss probability of this datagram,
 * then the chain moves. Starts in the good state.
 */
export class GilbertElliottLoss implements LossProcess {
  private bad = false;

  constructor(private readonly config: Extract<LossConfig, { model: 'gilbert-elliott' }>) {}

  get inBadState(): boolean {
    return this.bad;
  }

  lose(rng: SeededRandom): boolean {
    const c = this.config;
    const lost = rng.chance(this.bad ? c.lossInBad : c.lossInGood);
    this.bad = this.bad ? !rng.chance(c.pBadToGood) : rng.chance(c.pGoodToBad);
    return lost;
  }
}

export function createLossProcess(config: LossConfig): LossProcess {
  switch (config.model) {
    case 'none':
      return new NoLoss();
    case 'bernoulli':
      return new BernoulliLoss(config.p);
    case 'gilbert-elliott':
      return new GilbertElliottLoss(config);
  }
}
