/** Bounds-checked integer reads over a byte array: `undefined` past the end, so parsers report truncation instead of throwing. */
export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly littleEndian = false,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  u8(at: number): number | undefined {
    return at >= 0 && at < this.bytes.length ? this.bytes[at] : undefined;
  }

  u16(at: number): number | undefined {
    return at >= 0 && at + 2 <= this.bytes.length ? this.view.getUint16(at, this.littleEndian) : undefined;
  }

  u32(at: number): number | undefined {
    return at >= 0 && at + 4 <= this.bytes.length ? this.view.getUint32(at, this.littleEndian) : undefined;
  }

  /** A 64-bit size as a number; beyond 2^53 it is far past any buffer we hold, which is what callers check. */
  u64(at: number): number | undefined {
    const hi = this.u32(at);
    const lo = this.u32(at + 4);
    return hi === undefined || lo === undefined ? undefined : hi * 2 ** 32 + lo;
  }

  ascii(at: number, length: number): string | undefined {
    if (at < 0 || at + length > this.bytes.length) return undefined;
    return String.fromCharCode(...this.bytes.subarray(at, at + length));
  }

  startsWith(at: number, signature: readonly number[]): boolean {
    if (at + signature.length > this.bytes.length) return false;
    return signature.every((b, i) => this.bytes[at + i] === b);
  }
}
