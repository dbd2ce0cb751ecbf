/**
 * Structural completeness, per format, without decoding a pixel: enough to
 * tell a file that was cut short or damaged in its framing from one that is
 * whole. Damage inside compressed pixel data of a well-framed file is not
 * detected here (that needs a full decode).
 */
import type { ImageFormat } from '../image-format';
import { checkGifStructure } from './gif-structure';
import { checkIsobmffStructure } from './isobmff-structure';
import { checkJpegStructure } from './jpeg-structure';
import { checkPngStructure } from './png-structure';
import type { StructureResult } from './structure-result';
import { checkTiffStructure } from './tiff-structure';
import { checkWebpStructure } from './webp-structure';

export function checkStructure(format: ImageFormat, bytes: Uint8Array): StructureResult {
  switch (format) {
    case 'jpeg':
      return checkJpegStructure(bytes);
    case 'png':
      return checkPngStructure(bytes);
    case 'gif':
      return checkGifStructure(bytes);
    case 'webp':
      return checkWebpStructure(bytes);
    case 'avif':
      return checkIsobmffStructure(bytes);
    case 'tiff':
      return checkTiffStructure(bytes);
  }
}
