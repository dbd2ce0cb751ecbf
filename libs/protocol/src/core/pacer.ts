/**
 * Pacing policy for DATA: a token bucket in bytes. Tokens refill at
 * `rateBytesPerSec` up to `burstBytes`; a datagram may leave only when the
 * bucket holds its whole length. The session asks before every DATA
 * datagram, and pollTimeout reports when the next one can go, so the driver
 * sleeps instead of spinning.
 *
 * Why a bucket and not fixed inter-packet gaps: drivers wake on timers with
 * millisecond granularity; a bucket lets them send the datagrams that became
 * due during the sleep in one burst (bounded by burstBytes) while the long
 * run average stays exactly at the rate.
 */
export interface Pacer {
  /** Takes `bytes` tokens if available at `now`; false (and no change) otherwise. */
  tryConsume(now: number, bytes: number): boolean;
  /** Earliest time at which `bytes` tokens are available (<= now when they already are). */
  nextAvailableAt(now: number, bytes: number): number;
  /** Changes the rate (bytes/s), keeping the tokens already earned. */
  setRate(rateBytesPerSec: number, now: number): void;
  readonly rateBytesPerSec: number;
}

/**
 * Tokens short of a datagram by less than this still let it go: refill
 * arithmetic in fractional milliseconds rounds, and without the slack a
 * driver woken exactly at nextAvailableAt could find the bucket a hair short
 * and spin at the same instant.
 */
const EPSILON_BYTES = 1e-6;

export class TokenBucketPacer implements Pacer {
  private tokens: number;
  private last: number;
  private rate: number;
  private perMs: number;

  /** The bucket starts full, so a transfer's first burst leaves at once. */
  constructor(
    rateBytesPerSec: number,
    private readonly burstBytes: number,
    now: number,
  ) {
    if (!(rateBytesPerSec > 0) || !(burstBytes > 0)) throw new RangeError('pacer rate and burst must be positive');
    this.rate = rateBytesPerSec;
    this.perMs = rateBytesPerSec / 1000;
    this.tokens = burstBytes;
    this.last = now;
  }

  get rateBytesPerSec(): number {
    return this.rate;
  }

  get available(): number {
    return this.tokens;
  }

  tryConsume(now: number, bytes: number): boolean {
    this.refill(now);
    // A datagram larger than the whole bucket could never go; let it go on a full bucket instead.
    const need = Math.min(bytes, this.burstBytes);
    if (this.tokens + EPSILON_BYTES < need) return false;
    this.tokens -= bytes;
    return true;
  }

  nextAvailableAt(now: number, bytes: number): number {
    this.refill(now);
    const need = Math.min(bytes, this.burstBytes);
    if (this.tokens + EPSILON_BYTES >= need) return now;
    // Count from the last refill, not from `now`: a shared bucket is asked by sessions whose clocks lag
    // the one that last spent from it, and a stale `now` would put t early and leave the loop below
    // stepping by ulps across the whole lag.
    let t = Math.max(now, this.last) + (need - this.tokens) / this.perMs;
    // Epoch-scale times (~1.7e12 ms) have a resolution of ~0.25 us, coarser than one byte's worth of
    // tokens at high rates: step t up until the refill tryConsume will compute at t really covers `need`.
    // The step is computed only when needed: this runs for every blocked session on every pollTimeout,
    // and the common case needs no step at all.
    if (this.tokens + (t - this.last) * this.perMs + EPSILON_BYTES < need) {
      const step = Math.max(Math.abs(t) * Number.EPSILON, Number.MIN_VALUE);
      do t += step;
      while (this.tokens + (t - this.last) * this.perMs + EPSILON_BYTES < need);
    }
    return t;
  }

  /**
   * Takes `bytes` tokens whether or not the bucket holds them: for datagrams
   * that must not wait (control messages through an endpoint-wide bucket)
   * but still use the wire. The debt is floored at one bucket depth, so a
   * burst of control traffic delays DATA by at most burst / rate.
   */
  charge(now: number, bytes: number): void {
    this.refill(now);
    this.tokens = Math.max(-this.burstBytes, this.tokens - bytes);
  }

  setRate(rateBytesPerSec: number, now: number): void {
    if (!(rateBytesPerSec > 0)) return;
    this.refill(now);
    this.rate = rateBytesPerSec;
    this.perMs = rateBytesPerSec / 1000;
  }

  private refill(now: number): void {
    // Time that runs backwards (a driver mixing clocks) earns nothing rather than negative tokens.
    if (now > this.last) {
      this.tokens = Math.min(this.burstBytes, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
    }
  }
}
