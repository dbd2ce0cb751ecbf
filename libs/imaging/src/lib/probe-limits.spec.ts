import { DEFAULT_PROBE_LIMITS, ProbeLimitsError, resolveProbeLimits } from './probe-limits';

describe('resolveProbeLimits', () => {
  it('fills in the defaults', () => {
    expect(resolveProbeLimits()).toEqual(DEFAULT_PROBE_LIMITS);
  });

  it('names a bad limit', () => {
    expect(() => resolveProbeLimits({ maxPixels: 0 })).toThrow(ProbeLimitsError);
    expect(() => resolveProbeLimits({ maxBytes: 1.5 })).toThrow(/maxBytes/);
    expect(() => resolveProbeLimits({ formats: ['bmp' as never] })).toThrow(/formats.*bmp/);
  });
});
