/**
 * Exponential backoff shared by OFFER retries and tail probes: base * 2^n,
 * capped. A function, not a class: both users keep their own attempt count.
 */
export function backoffDelay(baseMs: number, attempt: number, capMs: number): number {
  // 2^30 already exceeds any cap; clamping the exponent keeps the product finite.
  const factor = 2 ** Math.min(Math.max(0, attempt), 30);
  return Math.min(capMs, baseMs * factor);
}
