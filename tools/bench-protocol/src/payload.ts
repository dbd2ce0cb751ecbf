/**
 * Benchmark payloads: one random buffer (incompressible, so nothing on the
 * way can cheat) of the largest size, and views of its prefix for the rest,
 * each with its SHA-256 computed once, outside any timing.
 */
import { createHash, randomFillSync } from 'node:crypto';

export interface Payload {
  data: Uint8Array;
  sha256: Uint8Array;
  sha256Hex: string;
}

export class PayloadSet {
  private readonly buffer: Buffer;
  private readonly cache = new Map<number, Payload>();

  constructor(maxBytes: number) {
    this.buffer = Buffer.allocUnsafe(maxBytes);
    randomFillSync(this.buffer);
  }

  get(sizeBytes: number): Payload {
    let payload = this.cache.get(sizeBytes);
    if (payload === undefined) {
      const data = this.buffer.subarray(0, sizeBytes);
      const digest = createHash('sha256').update(data).digest();
      payload = { data, sha256: new Uint8Array(digest), sha256Hex: digest.toString('hex') };
      this.cache.set(sizeBytes, payload);
    }
    return payload;
  }
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
