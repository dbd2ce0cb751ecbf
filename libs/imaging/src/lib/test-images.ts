/** Test-only helpers: the committed fixtures, images made with sharp at test time, and hand-built headers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

const FIXTURES = join(__dirname, '../../../../fixtures/images');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

function solid(width: number, height: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } });
}

export function makeWebp(width = 40, height = 30): Promise<Buffer> {
  return solid(width, height).webp().toBuffer();
}

export function makeAvif(width = 40, height = 30): Promise<Buffer> {
  return solid(width, height).avif().toBuffer();
}

export function makeProgressiveJpeg(width = 40, height = 30): Promise<Buffer> {
  return solid(width, height).jpeg({ progressive: true }).toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A well-formed PNG of a few hundred bytes that declares width x height RGB:
 * a decompression bomb if anyone tried to decode it.
 */
export function makePngBomb(width = 100_000, height = 100_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real JPEG whose frame header (SOF) is patched to claim width x height. */
export function makeJpegBomb(source: Buffer, width = 60_000, height = 60_000): Buffer {
  const out = Buffer.from(source);
  for (let at = 2; at + 9 < out.length; ) {
    const marker = out[at + 1];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      out.writeUInt16BE(height, at + 5);
      out.writeUInt16BE(width, at + 7);
      return out;
    }
    at += 2 + out.readUInt16BE(at + 2);
  }
  throw new Error('no SOF marker found');
}

/** Deterministic noise (xorshift32), so a failing case can be replayed. */
export function randomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
