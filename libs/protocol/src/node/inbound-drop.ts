/**
 * Test and benchmark hook: a seeded, reproducible inbound loss pattern for
 * `UdpEndpointDriverOptions.dropInbound`. Real deployments never set it.
 */

/** Drops each datagram independently with probability `rate`, from a seeded mulberry32 stream. */
export function randomInboundDrop(rate: number, seed: number): (bytes: Uint8Array) => boolean {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`drop rate must be in [0, 1], got ${rate}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 < rate;
  };
}
