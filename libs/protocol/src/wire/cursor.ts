/**
 * Big-endian cursors over a byte array for the body codecs.
 *
 * ByteReader never throws: a read past the end (or any failed check) records
 * the first problem in `error` and returns a zero value, so a body decoder
 * reads straight through and checks `error` once. Exceptions would make
 * garbage input (which an attacker can send at line rate) the slow path.
 */
import { readVarint } from './varint';
import { utf8Decode } from './utf8';

const TWO_32 = 0x1_0000_0000;
/** High word of Number.MAX_SAFE_INTEGER (2^53 - 1): u64 values above it are refused. */
const MAX_SAFE_HIGH = 0x1f_ffff;
const EMPTY = new Uint8Array(0);

/** Writes fixed fields into a buffer sized exactly by the caller. */
export class ByteWriter {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  u8(v: number): void {
    this.bytes[this.pos++] = v;
  }

  u16(v: number): void {
    this.bytes[this.pos++] = v >>> 8;
    this.bytes[this.pos++] = v;
  }

  u32(v: number): void {
    this.bytes[this.pos++] = v >>> 24;
    this.bytes[this.pos++] = v >>> 16;
    this.bytes[this.pos++] = v >>> 8;
    this.bytes[this.pos++] = v;
  }

  /** A safe non-negative integer as u64 (high word, then low word). */
  u64(v: number): void {
    this.u32(Math.floor(v / TWO_32));
    this.u32(v % TWO_32);
  }

  raw(b: Uint8Array): void {
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }
}

/** Reads fields from bytes[start, end); see the file comment for error handling. */
export class ByteReader {
  pos: number;
  /** The first problem met, or undefined while all reads were in bounds and valid. */
  error: string | undefined;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Records a problem (only the first one is kept). */
  fail(detail: string): void {
    if (this.error === undefined) this.error = detail;
  }

  private take(n: number, what: string): boolean {
    if (this.error !== undefined) return false;
    if (this.end - this.pos < n) {
      this.fail(`${what} overruns the body`);
      return false;
    }
    return true;
  }

  u8(what: string): number {
    if (!this.take(1, what)) return 0;
    return this.bytes[this.pos++];
  }

  u16(what: string): number {
    if (!this.take(2, what)) return 0;
    const b = this.bytes;
    const v = (b[this.pos] << 8) | b[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    if (!this.take(4, what)) return 0;
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    // Multiply the top byte so the result stays a positive number (no sign bit).
    return b[p] * 0x100_0000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  /** A u64 that must not exceed Number.MAX_SAFE_INTEGER. */
  u64(what: string): number {
    const high = this.u32(what);
    const low = this.u32(what);
    if (high > MAX_SAFE_HIGH) {
      this.fail(`${what} exceeds 2^53 - 1`);
      return 0;
    }
    return high * TWO_32 + low;
  }

  /** A view of the next n bytes (no copy). */
  view(n: number, what: string): Uint8Array {
    if (!this.take(n, what)) return EMPTY;
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A copy of the next n bytes, for values that outlive the datagram buffer. */
  copy(n: number, what: string): Uint8Array {
    return this.view(n, what).slice();
  }

  /** n bytes of strict UTF-8. */
  utf8(n: number, what: string): string {
    const v = this.view(n, what);
    if (this.error !== undefined) return '';
    const s = utf8Decode(v);
    if (s === undefined) {
      this.fail(`${what} is not valid UTF-8`);
      return '';
    }
    return s;
  }

  varint(what: string): number {
    if (this.error !== undefined) return 0;
    const r = readVarint(this.bytes, this.pos, this.end);
    if (!r.ok) {
      this.fail(`${what}: ${r.error === 'TRUNCATED' ? 'overruns the body' : r.error === 'OVERFLOW' ? 'exceeds u32' : 'varint not in shortest form'}`);
      return 0;
    }
    this.pos = r.next;
    return r.value;
  }

  /** Fails unless every byte was consumed (trailing bytes are MALFORMED). */
  finish(): void {
    if (this.error === undefined && this.pos !== this.end) {
      this.fail(`${this.end - this.pos} trailing byte(s) after the body`);
    }
  }
}

/** Range checks for values about to be written as fixed-width fields. */
export function isU8(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xff;
}

export function isU16(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffff;
}

export function isU32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff;
}

/** A u64 the protocol accepts: an integer in [0, Number.MAX_SAFE_INTEGER]. */
export function isSafeU64(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}

/**
 * A clock reading (OFFER createdAt, PING token) as the u64 the wire carries:
 * floored, because a caller's clock may have fractional milliseconds.
 * Undefined when negative, not finite or above 2^53 - 1.
 */
export function timeToU64(v: number): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
  const floored = Math.floor(v);
  return floored <= Number.MAX_SAFE_INTEGER ? floored : undefined;
}
