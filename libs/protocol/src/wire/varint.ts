/**
 * Unsigned LEB128 varints for NACK gap ranges: 7 bits per byte, least
 * significant group first, high bit set on every byte but the last. Values
 * are u32, so at most 5 bytes. Encoders write the shortest form; decoders
 * reject longer forms so every range list has exactly one encoding.
 */

/** Largest value a varint may carry (u32). */
export const MAX_VARINT = 0xffffffff;
/** Bytes of the longest varint (a u32 needs 5 groups of 7 bits). */
export const MAX_VARINT_LENGTH = 5;

/** Bytes needed to encode `value` (an integer in [0, MAX_VARINT]). */
export function varintLength(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** Writes `value` at `offset`; returns the offset after it. The caller has checked room and range. */
export function writeVarint(bytes: Uint8Array, offset: number, value: number): number {
  // Division instead of >>> keeps values >= 2^31 exact (bit ops are signed 32-bit).
  let v = value;
  while (v >= 0x80) {
    bytes[offset++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  bytes[offset++] = v;
  return offset;
}

export type VarintRead =
  | { ok: true; value: number; next: number }
  | { ok: false; error: 'TRUNCATED' | 'OVERFLOW' | 'NON_CANONICAL' };

/** Reads a varint from bytes[offset, end). Never throws. */
export function readVarint(bytes: Uint8Array, offset: number, end: number): VarintRead {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_LENGTH; i++) {
    if (offset + i >= end) return { ok: false, error: 'TRUNCATED' };
    const b = bytes[offset + i];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      // A final zero group after other groups means a shorter form existed.
      if (b === 0 && i > 0) return { ok: false, error: 'NON_CANONICAL' };
      if (value > MAX_VARINT) return { ok: false, error: 'OVERFLOW' };
      return { ok: true, value, next: offset + i + 1 };
    }
    scale *= 0x80;
  }
  return { ok: false, error: 'OVERFLOW' };
}
