/**
 * The driver's default time source, in milliseconds with sub-millisecond
 * precision: monotonic (performance.now never goes back when the wall clock
 * is set) yet anchored to the epoch by timeOrigin, so values still read as
 * wall-clock times where the core stamps them (OFFER createdAt).
 */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}
