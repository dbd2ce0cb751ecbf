/**
 * A small, fast, seedable PRNG (xoshiro128**, seeded through splitmix32).
 * Every random decision in a simulation comes from one of these so that a
 * seed replays a run exactly; Math.random would make failures unreproducible.
 * Not cryptographic: it also serves as the endpoints' injected random source
 * in tests, where predictability is the point.
 */

const UINT32 = 0x1_0000_0000;

/** One splitmix32 step: spreads a weak seed (0, 1, 2, ...) over all 32 bits. */
function splitmix32(state: number): { state: number; value: number } {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return { state: next, value: z };
}

/** FNV-1a over a label, mixed with a seed: gives independent streams per label. */
export function hashSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  h = Math.imul(h, 0x01000193) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  return splitmix32(h).value;
}

function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed >= UINT32) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  return seed;
}

export class SeededRandom {
  readonly seed: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    this.seed = checkSeed(seed);
    let sm = seed;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = splitmix32(sm);
      sm = r.state;
      words.push(r.value);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    // xoshiro's all-zero state is a fixed point; splitmix32 cannot produce four zeros, but be explicit.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * An independent generator for `label` under `seed`: links, nodes and
   * anything else get their own stream, so adding traffic on one link does
   * not shift the random decisions of another.
   */
  static derive(seed: number, label: string): SeededRandom {
    return new SeededRandom(hashSeed(checkSeed(seed), label));
  }

  /** A child generator seeded from this one's stream (consumes one draw). */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32());
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    let n2 = (s2 ^ s0) >>> 0;
    let n3 = (s3 ^ s1) >>> 0;
    const n1 = (s1 ^ n2) >>> 0;
    const n0 = (s0 ^ n3) >>> 0;
    n2 = (n2 ^ t) >>> 0;
    n3 = rotl(n3, 11);
    this.s0 = n0;
    this.s1 = n1;
    this.s2 = n2;
    this.s3 = n3;
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / UINT32;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). 1 <= n <= 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > UINT32) {
      throw new RangeError(`int(n): n must be an integer in [1, 2^32], got ${n}`);
    }
    // Reject the top sliver of the range that would make small values more likely.
    const limit = UINT32 - (UINT32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** True with probability p. p = 0 never, p = 1 always. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Fills `target` with random bytes and returns it. */
  fill(target: Uint8Array): Uint8Array {
    let i = 0;
    while (i < target.length) {
      let word = this.nextUint32();
      for (let k = 0; k < 4 && i < target.length; k++, i++) {
        target[i] = word & 0xff;
        word >>>= 8;
      }
    }
    return target;
  }

  /**
   * n random bytes. An arrow property, so `rng.bytes` can be handed as is to
   * an endpoint that takes a `(n: number) => Uint8Array` random source.
   */
  readonly bytes = (n: number): Uint8Array => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`bytes(n): n must be a non-negative integer, got ${n}`);
    return this.fill(new Uint8Array(n));
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
