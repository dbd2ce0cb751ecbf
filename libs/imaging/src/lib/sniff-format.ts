/**
 * Format detection from magic numbers only: the Content-Type a client sends
 * is a claim, the first bytes are evidence.
 */
import { ByteReader } from './byte-reader';
import type { ImageFormat } from './image-format';

export type SniffResult =
  /** One of ours. */
  | { kind: 'image'; format: ImageFormat }
  /** An image, but of a format udpix does not handle (BMP, HEIC, JPEG XL, ...). */
  | { kind: 'other-image'; name: string }
  | { kind: 'unknown' };

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const BIGTIFF_LE = [0x49, 0x49, 0x2b, 0x00];
const BIGTIFF_BE = [0x4d, 0x4d, 0x00, 0x2b];

/** Other image formats, recognised so that the answer is "unsupported" rather than "not an image". */
const OTHER_IMAGES: ReadonlyArray<{ name: string; at: number; signature: readonly number[] }> = [
  { name: 'bmp', at: 0, signature: [0x42, 0x4d] },
  { name: 'ico', at: 0, signature: [0x00, 0x00, 0x01, 0x00] },
  { name: 'psd', at: 0, signature: [0x38, 0x42, 0x50, 0x53] },
  { name: 'jxl', at: 0, signature: [0xff, 0x0a] },
  { name: 'jxl', at: 0, signature: [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20] },
  { name: 'jp2', at: 0, signature: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20] },
  { name: 'qoi', at: 0, signature: [0x71, 0x6f, 0x69, 0x66] },
  { name: 'exr', at: 0, signature: [0x76, 0x2f, 0x31, 0x01] },
];

/** ISOBMFF brands (ftyp major or compatible) that mean AVIF, and those that mean another HEIF. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function sniffIsobmff(r: ByteReader): SniffResult {
  const boxSize = r.u32(0);
  if (boxSize === undefined || boxSize < 16) return { kind: 'unknown' };
  const end = Math.min(boxSize, r.length);
  const brands: string[] = [];
  const major = r.ascii(8, 4);
  if (major !== undefined) brands.push(major);
  for (let at = 16; at + 4 <= end; at += 4) {
    const brand = r.ascii(at, 4);
    if (brand !== undefined) brands.push(brand);
  }
  if (brands.some((b) => AVIF_BRANDS.has(b))) return { kind: 'image', format: 'avif' };
  if (brands.some((b) => HEIF_BRANDS.has(b))) return { kind: 'other-image', name: 'heif' };
  return { kind: 'unknown' };
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  return head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'));
}

export function sniffFormat(bytes: Uint8Array): SniffResult {
  const r = new ByteReader(bytes);
  if (r.startsWith(0, JPEG)) return { kind: 'image', format: 'jpeg' };
  if (r.startsWith(0, PNG)) return { kind: 'image', format: 'png' };
  const gif = r.ascii(0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return { kind: 'image', format: 'gif' };
  if (r.ascii(0, 4) === 'RIFF' && r.ascii(8, 4) === 'WEBP') return { kind: 'image', format: 'webp' };
  if (r.startsWith(0, TIFF_LE) || r.startsWith(0, TIFF_BE) || r.startsWith(0, BIGTIFF_LE) || r.startsWith(0, BIGTIFF_BE)) {
    return { kind: 'image', format: 'tiff' };
  }
  if (r.ascii(4, 4) === 'ftyp') {
    const iso = sniffIsobmff(r);
    if (iso.kind !== 'unknown') return iso;
  }
  for (const other of OTHER_IMAGES) {
    if (r.startsWith(other.at, other.signature)) return { kind: 'other-image', name: other.name };
  }
  if (looksLikeSvg(bytes)) return { kind: 'other-image', name: 'svg' };
  return { kind: 'unknown' };
}
