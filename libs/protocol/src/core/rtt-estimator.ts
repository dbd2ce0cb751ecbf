/**
 * Round-trip time estimation after RFC 6298 (with the ack-delay correction
 * of RFC 9002 section 5.3): srtt, rttvar, min RTT, and the timeouts derived
 * from them. The sessions feed it samples and read timeouts; which samples
 * are trustworthy (Karn's rule) is the caller's business.
 */

/** Clock granularity G of RFC 6298, ms. */
export const CLOCK_GRANULARITY_MS = 1;

export class RttEstimator {
  private srtt: number;
  private rttvar: number;
  private min = 0;
  private latestSample = 0;
  private samples = 0;

  /** Until the first sample, srtt = initial and rttvar = initial / 2 (RFC 6298 2.1). */
  constructor(private readonly initialRttMs: number) {
    this.srtt = initialRttMs;
    this.rttvar = initialRttMs / 2;
  }

  get hasSample(): boolean {
    return this.samples > 0;
  }

  get sampleCount(): number {
    return this.samples;
  }

  /** Smoothed RTT, ms (the initial RTT before any sample). */
  get smoothed(): number {
    return this.srtt;
  }

  get variation(): number {
    return this.rttvar;
  }

  /** Smallest RTT ever sampled, ms (0 before any sample). */
  get minRtt(): number {
    return this.min;
  }

  get latest(): number {
    return this.latestSample;
  }

  /**
   * Adds a sample: `rttMs` measured from send to feedback, `peerDelayMs` the
   * time the peer says it held the packet. The delay is subtracted only when
   * that keeps the sample at or above the min RTT (RFC 9002 5.3), so a peer
   * that overstates its delay cannot shrink our estimate below reality.
   * Non-finite or non-positive samples are ignored.
   */
  update(rttMs: number, peerDelayMs = 0): void {
    if (!Number.isFinite(rttMs) || rttMs <= 0) return;
    this.min = this.samples === 0 ? rttMs : Math.min(this.min, rttMs);
    let adjusted = rttMs;
    if (peerDelayMs > 0 && rttMs - peerDelayMs >= this.min) adjusted = rttMs - peerDelayMs;
    this.latestSample = adjusted;
    if (this.samples === 0) {
      this.srtt = adjusted;
      this.rttvar = adjusted / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - adjusted);
      this.srtt = 0.875 * this.srtt + 0.125 * adjusted;
    }
    this.samples++;
  }

  /** RFC 6298 RTO = srtt + max(G, 4 * rttvar). */
  rto(): number {
    return this.srtt + Math.max(CLOCK_GRANULARITY_MS, 4 * this.rttvar);
  }

  /** Probe timeout (RFC 9002 6.2.1): srtt + max(4 * rttvar, G) + the peer's max ack delay. */
  pto(maxAckDelayMs: number): number {
    return this.rto() + maxAckDelayMs;
  }
}
