import sharp from 'sharp';

export interface ProbedImage {
  width: number | null;
  height: number | null;
  /** image/<format> when sharp recognised the bytes. */
  contentType: string | null;
}

const CONTENT_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
  svg: 'image/svg+xml',
  jp2: 'image/jp2',
  jxl: 'image/jxl',
};

/**
 * Reads geometry and format from the header only (sharp's metadata() does
 * not decode pixels). Bytes that are not a known image are not an error: the
 * receiver stores what was verified, whatever it is.
 */
export async function probeImage(bytes: Buffer): Promise<ProbedImage> {
  try {
    const meta = await sharp(bytes).metadata();
    return {
      width: meta.width ?? null,
      height: meta.height ?? null,
      contentType: meta.format === undefined ? null : (CONTENT_TYPES[meta.format] ?? null),
    };
  } catch {
    return { width: null, height: null, contentType: null };
  }
}
