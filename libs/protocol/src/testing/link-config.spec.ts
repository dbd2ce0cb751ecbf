import { DEFAULT_LINK_CONFIG, LinkConfigError, meanLossRate, resolveLinkConfig } from './link-config';

describe('resolveLinkConfig', () => {
  it('fills in the defaults', () => {
    expect(resolveLinkConfig()).toEqual(DEFAULT_LINK_CONFIG);
    expect(resolveLinkConfig({ latencyMs: 50, jitterMs: undefined })).toEqual({ ...DEFAULT_LINK_CONFIG, latencyMs: 50 });
  });

  it('merges over a given base', () => {
    const base = resolveLinkConfig({ latencyMs: 50 });
    expect(resolveLinkConfig({ jitterMs: 3 }, base)).toMatchObject({ latencyMs: 50, jitterMs: 3 });
  });

  it.each([
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: Number.POSITIVE_INFINITY }, 'latencyMs'],
    [{ jitterMs: Number.NaN }, 'jitterMs'],
    [{ bandwidthBytesPerSec: -5 }, 'bandwidthBytesPerSec'],
    [{ queueBytes: -1 }, 'queueBytes'],
    [{ mtu: -1 }, 'mtu'],
    [{ duplicateProbability: 1.5 }, 'duplicateProbability'],
    [{ reorderProbability: -0.1 }, 'reorderProbability'],
    [{ reorderExtraDelayMs: -1 }, 'reorderExtraDelayMs'],
    [{ corruptProbability: 2 }, 'corruptProbability'],
    [{ loss: { model: 'bernoulli', p: 1.1 } }, 'loss.p'],
    [{ loss: { model: 'gilbert-elliott', pGoodToBad: 0.1, pBadToGood: -1, lossInGood: 0, lossInBad: 1 } }, 'loss.pBadToGood'],
    [{ loss: { model: 'weird' } }, 'loss.model'],
    [{ blackholes: [[10, 5]] }, 'blackholes[0][1]'],
    [{ blackholes: [[-1, 5]] }, 'blackholes[0][0]'],
    [{ blackholes: [[1, 2, 3]] }, 'blackholes[0]'],
  ])('rejects %j naming %s', (input, field) => {
    let caught: unknown;
    try {
      resolveLinkConfig(input as never, undefined, 'link a->b');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LinkConfigError);
    expect((caught as LinkConfigError).field).toBe(field);
    expect((caught as LinkConfigError).message).toContain(`link a->b: ${field} must be`);
  });

  it('allows Infinity where it means "unlimited"', () => {
    expect(() => resolveLinkConfig({ queueBytes: Number.POSITIVE_INFINITY, mtu: Number.POSITIVE_INFINITY, blackholes: [[5, Number.POSITIVE_INFINITY]] })).not.toThrow();
  });
});

describe('meanLossRate', () => {
  it('is 0, p, or the stationary mix', () => {
    expect(meanLossRate({ model: 'none' })).toBe(0);
    expect(meanLossRate({ model: 'bernoulli', p: 0.2 })).toBe(0.2);
    expect(meanLossRate({ model: 'gilbert-elliott', pGoodToBad: 0.1, pBadToGood: 0.3, lossInGood: 0.01, lossInBad: 0.5 })).toBeCloseTo(0.75 * 0.01 + 0.25 * 0.5, 12);
    expect(meanLossRate({ model: 'gilbert-elliott', pGoodToBad: 0, pBadToGood: 0, lossInGood: 0.01, lossInBad: 0.5 })).toBe(0.01);
  });
});
