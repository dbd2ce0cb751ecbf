/** The bundled sample images and real images made at run time with sharp. */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { WORKSPACE_ROOT } from './services';

export interface SampleImage {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export const FIXTURES_DIR = join(WORKSPACE_ROOT, 'fixtures', 'images');

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.webp': 'image/webp',
};

/** Every image in fixtures/images, by name. */
export function fixtureImages(dir = FIXTURES_DIR): SampleImage[] {
  return readdirSync(dir)
    .filter((f) => CONTENT_TYPES[extname(f).toLowerCase()] !== undefined)
    .sort()
    .map((f) => ({ name: f, contentType: CONTENT_TYPES[extname(f).toLowerCase()] as string, bytes: readFileSync(join(dir, f)) }));
}

/**
 * A PNG of random RGB noise: noise does not compress, so the file is about
 * width x height x 3 bytes (with compressionLevel 0 it is the raw size plus
 * a little framing).
 */
export async function noisePng(width: number, height: number, compressionLevel = 0): Promise<SampleImage> {
  const raw = randomBytes(width * height * 3);
  const bytes = await sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel, adaptiveFiltering: false })
    .toBuffer();
  return { name: `noise-${width}x${height}.png`, contentType: 'image/png', bytes };
}

/** A WebP made from another image (e.g. a fixture). */
export async function toWebp(source: Buffer, name: string, quality = 80): Promise<SampleImage> {
  return { name, contentType: 'image/webp', bytes: await sharp(source).webp({ quality }).toBuffer() };
}
