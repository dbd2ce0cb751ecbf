import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles per attempt from the base', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(200, n, 1e9))).toEqual([200, 400, 800, 1600]);
  });

  it('is capped', () => {
    expect(backoffDelay(200, 10, 2000)).toBe(2000);
    expect(backoffDelay(200, 5000, 2000)).toBe(2000);
  });

  it('treats negative attempts as the first', () => {
    expect(backoffDelay(10, -3, 100)).toBe(10);
  });
});
