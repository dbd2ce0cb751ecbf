/**
 * probeImage: is this an image we accept, and what is it? Judged from the
 * bytes (never from a Content-Type), reading headers only, so a decompression
 * bomb (a tiny file declaring a huge geometry) is refused by the pixel limit
 * before anything is decoded.
 *
 * Order of checks, cheapest first: size, magic number, allowed format,
 * header (sharp.metadata(), which parses the header and decodes nothing),
 * pixel count, then the structural check.
 *
 * What counts as CORRUPT: a header libvips cannot parse (except the TIFF case
 * below), a header whose format disagrees with the magic number, or a
 * structure that is incomplete or damaged (checkStructure: no JPEG EOI, PNG
 * chunk past the end or with a bad CRC, no GIF trailer, WebP shorter than its
 * RIFF size, AVIF box past the end, TIFF strip past the end). Damage inside
 * the compressed pixel data of a well-framed file is not looked for: that
 * would need a full decode, and delivery is byte-exact and hash-checked anyway.
 */
import sharp, { type Metadata } from 'sharp';
import type { ImageFormat } from './image-format';
import { resolveProbeLimits, type ProbeLimits } from './probe-limits';
import type { ImageInfo, ProbeErrorCode, ProbeResult } from './probe-result';
import { sniffFormat } from './sniff-format';
import { checkStructure } from './structure/check-structure';
import { checkTiffStructure } from './structure/tiff-structure';

function reject(code: ProbeErrorCode, message: string): ProbeResult {
  return { ok: false, code, message };
}

type Header = Omit<ImageInfo, 'format'>;

/** sharp's name for a format, and for AVIF its compression, must agree with the magic number. */
function sameFormat(format: ImageFormat, metadata: Metadata): boolean {
  if (format === 'avif') return metadata.format === 'heif' && metadata.compression === 'av1';
  return metadata.format === format;
}

async function readHeader(format: ImageFormat, bytes: Uint8Array): Promise<Header | ProbeResult> {
  let metadata: Metadata;
  try {
    // limitInputPixels off: we compare the pixel count ourselves, with a message that states it.
    metadata = await sharp(bytes, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (format === 'tiff') {
      const tiff = checkTiffStructure(bytes);
      if (tiff.ok && tiff.layout !== undefined) return { ...tiff.layout, progressive: false, decodable: false };
    }
    return reject('CORRUPT', `${format}: unreadable header (${reason})`);
  }
  if (!sameFormat(format, metadata)) {
    const what = metadata.format === 'heif' ? `heif/${metadata.compression ?? '?'}` : metadata.format;
    const code: ProbeErrorCode = format === 'avif' && metadata.format === 'heif' ? 'UNSUPPORTED_FORMAT' : 'CORRUPT';
    return reject(code, `the bytes look like ${format} but decode as ${what}`);
  }
  if (!metadata.width || !metadata.height) return reject('CORRUPT', `${format}: header without a width or height`);
  return {
    width: metadata.width,
    height: metadata.pageHeight ?? metadata.height,
    channels: metadata.channels ?? 0,
    pages: metadata.pages ?? 1,
    progressive: metadata.isProgressive ?? false,
    decodable: true,
  };
}

function isRejection(value: Header | ProbeResult): value is Extract<ProbeResult, { ok: false }> {
  return 'ok' in value && !value.ok;
}

export async function probeImage(bytes: Uint8Array, limits: Partial<ProbeLimits> = {}): Promise<ProbeResult> {
  const { maxBytes, maxPixels, formats } = resolveProbeLimits(limits);
  if (bytes.length > maxBytes) return reject('TOO_LARGE', `${bytes.length} bytes exceed the limit of ${maxBytes}`);
  const sniffed = sniffFormat(bytes);
  if (sniffed.kind === 'unknown') return reject('NOT_AN_IMAGE', 'the bytes do not start like any image format');
  if (sniffed.kind === 'other-image') return reject('UNSUPPORTED_FORMAT', `${sniffed.name} images are not supported (accepted: ${formats.join(', ')})`);
  const format = sniffed.format;
  if (!formats.includes(format)) return reject('UNSUPPORTED_FORMAT', `${format} images are not accepted here (accepted: ${formats.join(', ')})`);

  const header = await readHeader(format, bytes);
  if (isRejection(header)) return header;
  const pixels = header.width * header.height * header.pages;
  if (pixels > maxPixels) {
    const pages = header.pages > 1 ? ` x ${header.pages} pages` : '';
    return reject('TOO_MANY_PIXELS', `${header.width}x${header.height}${pages} = ${pixels} pixels exceed the limit of ${maxPixels}`);
  }
  const structure = checkStructure(format, bytes);
  if (!structure.ok) return reject('CORRUPT', structure.message);
  return { ok: true, format, ...header };
}
